import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import type { ChainReport } from "../../api";
import { mockBackend, renderWithProviders } from "../../test/ipc";
import { chainSummary } from "./chain";
import { VerifyChain } from "./VerifyChain";

const BROKEN: ChainReport = {
  intact: false,
  rows: 1200,
  chained: 40,
  outside: 1160,
  first: { id: 3, seq: 1, created_at: "2026-12-01T09:00:00Z" },
  last: { id: 1190, seq: 40, created_at: "2026-12-03T10:00:00Z" },
  problems: [
    { kind: "altered", id: 12, message: "its content no longer matches its MAC: changed since it was written" },
    { kind: "deleted", id: 30, message: "1 chained row before it is missing (sequence 9)" },
  ],
  more_problems: false,
  key_fingerprint: "ab12cd34ef56ab78",
};

const grants = (manageKeys: boolean) => [
  { permission: "read", allowed: true, required_role: "viewer", reason: null },
  {
    permission: "manage_keys",
    allowed: manageKeys,
    required_role: "admin",
    reason: manageKeys ? null : "requires the admin role; vi@corp.test is viewer",
  },
];

afterEach(() => clearMocks());

describe("the chain's report in words", () => {
  it("says intact with the counts, or where it breaks first", () => {
    expect(chainSummary({ ...BROKEN, intact: true, problems: [] })).toBe(
      "Intact: 40 chained rows, 1,160 outside the chain (the server's, and changes from before the chain began).",
    );
    expect(chainSummary(BROKEN)).toMatch(/^Broken at row #12 \(altered\); 2 problems in 40 chained rows/);
    expect(chainSummary({ ...BROKEN, problems: BROKEN.problems.slice(1), more_problems: true })).toMatch(
      /^Broken at row #30 \(rows deleted before\); 1\+ problems/,
    );
  });
});

describe("Verify chain", () => {
  it("offers an admin to start a chain that has not begun, then verifies", async () => {
    let started = false;
    const calls = mockBackend((cmd) => {
      if (cmd === "session_info") return { grants: grants(true), operator: { email: "root@corp.test", role: "admin" } };
      if (cmd === "audit_chain_status") return { started, key_fingerprint: started ? "ab12cd34ef56ab78" : null };
      if (cmd === "start_audit_chain") {
        started = true;
        return { started: true, key_fingerprint: "ab12cd34ef56ab78" };
      }
      if (cmd === "verify_audit_chain") return { ...BROKEN, intact: true, problems: [] };
      return new Promise(() => {});
    });
    renderWithProviders(<VerifyChain />);
    fireEvent.click(screen.getByTestId("verify-chain"));
    await screen.findByTestId("chain-not-started");
    expect((screen.getByTestId("run-verify") as HTMLButtonElement).disabled).toBe(true);
    const start = screen.getByTestId("start-chain") as HTMLButtonElement;
    await waitFor(() => expect(start.disabled).toBe(false));
    fireEvent.click(start);
    await waitFor(() => expect((screen.getByTestId("run-verify") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("chain-not-started")).toBeNull();
    fireEvent.click(screen.getByTestId("run-verify"));
    expect((await screen.findByTestId("verify-summary")).textContent).toMatch(/^Intact: 40 chained rows/);
    expect(calls.filter((c) => c.cmd === "start_audit_chain")).toHaveLength(1);
  });

  it("names each broken row with a link to it", async () => {
    mockBackend((cmd) => {
      if (cmd === "session_info") return { grants: grants(false), operator: { email: "vi@corp.test", role: "viewer" } };
      if (cmd === "audit_chain_status") return { started: true, key_fingerprint: "ab12cd34ef56ab78" };
      if (cmd === "verify_audit_chain") return BROKEN;
      return new Promise(() => {});
    });
    renderWithProviders(<VerifyChain />);
    fireEvent.click(screen.getByTestId("verify-chain"));
    const run = (await screen.findByTestId("run-verify")) as HTMLButtonElement;
    await waitFor(() => expect(run.disabled).toBe(false));
    expect(screen.queryByTestId("start-chain")).toBeNull();
    fireEvent.click(run);
    expect((await screen.findByTestId("verify-summary")).textContent).toMatch(/^Broken at row #12 \(altered\)/);
    const links = [...screen.getByTestId("verify-problems").querySelectorAll("a")];
    expect(links.map((a) => a.textContent)).toEqual(["row #12", "row #30"]);
    expect(decodeURIComponent(links[0].getAttribute("href") ?? "")).toContain("id");
    expect(screen.getByTestId("verify-problems").textContent).toContain("Rows deleted before row #30");
  });

  it("says so when the keyring lacks the key of a chain that has begun", async () => {
    mockBackend((cmd) => {
      if (cmd === "session_info") return { grants: grants(true), operator: { email: "root@corp.test", role: "admin" } };
      if (cmd === "audit_chain_status") return { started: true, key_fingerprint: null };
      return new Promise(() => {});
    });
    renderWithProviders(<VerifyChain />);
    fireEvent.click(screen.getByTestId("verify-chain"));
    expect((await screen.findByTestId("chain-key-missing")).textContent).toContain("import it");
  });
});
