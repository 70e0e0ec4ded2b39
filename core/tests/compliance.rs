//! The job-role compliance report on both backends: required roles (from the job code's
//! mappings) against held roles (employee_role_assignments), per employee and per job code.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::json;
use whodis_core::models::*;
use whodis_core::ops::compliance::{self, EmployeeGap};
use whodis_core::time::now;

both_backends!(the_report_lists_missing_and_extra_roles, |db| {
    let mut c = db.conn().await.unwrap();
    let code = |name: &str| JobCode {
        code: name.into(),
        ..Default::default()
    };
    let (mut j1, mut j2) = (code("J1"), code("J2"));
    j1.save(&mut c).await.unwrap();
    j2.save(&mut c).await.unwrap();
    let mut roles = Vec::new();
    for name in ["A", "B", "C"] {
        let mut r = SystemRole {
            role_name: name.into(),
            ..Default::default()
        };
        r.save(&mut c).await.unwrap();
        roles.push(r);
    }
    for (job, role) in [(&j1, 0), (&j1, 1), (&j2, 2)] {
        JobRoleMapping {
            job_code_id: job.id,
            system_role_id: roles[role].id,
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
    }
    let people: [(&str, Option<&str>, &[usize]); 4] = [
        ("ok@corp.test", Some("J1"), &[0, 1]),
        ("gap@corp.test", Some("J1"), &[0, 2]),
        ("none@corp.test", Some("J2"), &[]),
        ("nojob@corp.test", None, &[2]),
    ];
    for (email, job, held) in people {
        EmployeeProfile {
            email: email.into(),
            keystone_data: job.map(|j| json!({ "job_code": j, "title": "x" })),
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
        for &r in held {
            EmployeeRoleAssignment {
                // assignments may spell the address differently
                employee_email: email.to_uppercase(),
                system_role_id: roles[r].id,
                assigned_at: now(),
                ..Default::default()
            }
            .save(&mut c)
            .await
            .unwrap();
        }
    }
    drop(c);

    let report = compliance::report(&common::ctx(&db, "nobody@corp.test"))
        .await
        .unwrap();
    assert_eq!(
        report.employees_checked, 3,
        "the one without a job code is skipped"
    );
    assert_eq!(
        report.gaps,
        vec![
            EmployeeGap {
                email: "gap@corp.test".into(),
                job_code: "J1".into(),
                missing: vec!["B".into()],
                extra: vec!["C".into()],
            },
            EmployeeGap {
                email: "none@corp.test".into(),
                job_code: "J2".into(),
                missing: vec!["C".into()],
                extra: vec![],
            },
        ]
    );
    let totals: Vec<_> = report
        .per_job_code
        .iter()
        .map(|t| {
            (
                t.job_code.as_str(),
                t.employees,
                t.compliant,
                t.missing_roles,
                t.extra_roles,
            )
        })
        .collect();
    assert_eq!(totals, vec![("J1", 2, 1, 1, 1), ("J2", 1, 0, 1, 0)]);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.csv");
    let ctx = common::ctx(&db, "nobody@corp.test");
    let rows = compliance::export_report(&ctx, path.to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(rows, 2);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "email,job_code,missing,extra\ngap@corp.test,J1,B,C\nnone@corp.test,J2,C,\n"
    );
});

both_backends!(gaps_close_by_assigning_and_unassigning_roles, |db| {
    use whodis_core::ops::compliance::{AssignRole, UnassignRole};
    use whodis_core::ops::run;
    let mut c = db.conn().await.unwrap();
    User {
        email: "ed@corp.test".into(),
        role: "editor".into(),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap();
    let ctx = common::ctx(&db, "ed@corp.test");
    let mut code = JobCode {
        code: "J1".into(),
        ..Default::default()
    };
    code.save(&mut c).await.unwrap();
    let mut roles = Vec::new();
    for name in ["A", "B"] {
        let mut r = SystemRole {
            role_name: name.into(),
            ..Default::default()
        };
        r.save(&mut c).await.unwrap();
        roles.push(r);
    }
    JobRoleMapping {
        job_code_id: code.id,
        system_role_id: roles[0].id,
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap();
    EmployeeProfile {
        email: "pat@corp.test".into(),
        keystone_data: Some(json!({ "job_code": "J1" })),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap();
    EmployeeRoleAssignment {
        employee_email: "pat@corp.test".into(),
        system_role_id: roles[1].id,
        assigned_at: now(),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap();
    let gaps = |r: compliance::ComplianceReport| -> Vec<(Vec<String>, Vec<String>)> {
        r.gaps.into_iter().map(|g| (g.missing, g.extra)).collect()
    };
    let before = compliance::report(&ctx).await.unwrap();
    assert_eq!(gaps(before), vec![(vec!["A".into()], vec!["B".into()])]);

    // bad requests: a clear error each, and the report as it was
    let refused = [
        run(
            &ctx,
            AssignRole {
                employee_email: "nobody@corp.test".into(),
                system_role_id: roles[0].id,
            },
        )
        .await
        .map(|_| ()),
        run(
            &ctx,
            AssignRole {
                employee_email: "pat@corp.test".into(),
                system_role_id: roles[1].id,
            },
        )
        .await
        .map(|_| ()),
        run(
            &ctx,
            AssignRole {
                employee_email: "pat@corp.test".into(),
                system_role_id: 999_999,
            },
        )
        .await
        .map(|_| ()),
        run(
            &ctx,
            UnassignRole {
                employee_email: "pat@corp.test".into(),
                system_role_id: roles[0].id,
            },
        )
        .await,
    ];
    let kinds: Vec<&str> = refused
        .iter()
        .map(|r| r.as_ref().unwrap_err().kind())
        .collect();
    assert_eq!(kinds, ["not_found", "conflict", "not_found", "not_found"]);
    let message = refused[3].as_ref().unwrap_err().to_string();
    assert!(
        message.contains("pat@corp.test does not hold A"),
        "{message}"
    );
    assert_eq!(
        gaps(compliance::report(&ctx).await.unwrap()),
        vec![(vec!["A".into()], vec!["B".into()])]
    );

    run(
        &ctx,
        AssignRole {
            employee_email: " Pat@Corp.Test ".into(),
            system_role_id: roles[0].id,
        },
    )
    .await
    .unwrap();
    run(
        &ctx,
        UnassignRole {
            employee_email: "PAT@corp.test".into(),
            system_role_id: roles[1].id,
        },
    )
    .await
    .unwrap();
    let after = compliance::report(&ctx).await.unwrap();
    assert!(after.gaps.is_empty(), "{:?}", after.gaps);
    assert_eq!(after.per_job_code[0].compliant, 1);
});
