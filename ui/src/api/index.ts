// The one door to the backend: unwraps the generated commands' results and throws `AppError`,
// so screens use plain async functions and React Query handles loading and error states.
import { Channel } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import { commands } from "../bindings";
import type {
  About,
  AdoptPlan,
  ChainReport_Serialize,
  ChainStatus_Serialize,
  Problem,
  ProblemKind,
  VerifyProgress,
  CompatReport_Serialize,
  Analyzed,
  DatabaseHealth_Serialize,
  TableHealth_Serialize,
  CleanupExpired,
  AddMapping,
  RemoveMapping,
  Reverted,
  RevertPreview_Serialize,
  AssignRole,
  UnassignRole,
  Column,
  CreateUser,
  DeleteRow,
  DeleteTableRow,
  InsertRow,
  RevealValue,
  EditRow,
  ConfigWritten,
  DeleteConfig,
  DeleteExpiring,
  Exported,
  ExportProgress,
  ExportSelection,
  ExtendExpiration,
  Grant_Serialize,
  KeyStatus_Serialize,
  Protection,
  RotateProgress,
  Rotation,
  SetConfig_Deserialize,
  PhotoTarget,
  UpdateProfile_Deserialize,
  SaveConnection_Deserialize,
  Target,
  TlsMode,
  GenesysKind,
  WriteFormat,
  ListQuery_Deserialize,
  Page_Serialize,
  Permission,
  Role,
  SessionInfo_Serialize,
  Summary_Serialize,
  Table,
  TableSummary_Serialize,
  UpdateUser_Deserialize,
  User,
  Value,
  View_Serialize,
  ViewList_Serialize,
} from "../bindings";

export type {
  About,
  AdoptPlan,
  Column,
  ConfigWritten,
  Protection,
  RotateProgress,
  Rotation,
  Reverted,
  WriteFormat,
  Permission,
  Role,
  Table,
  User,
  Value,
};
/** A table by name: one of the WhoDis tables, or any other table of the open database (the explorer's). */
export type TableName = Table | (string & {});
/** A table as the explorer lists it: columns, keys, links both ways, badges, row estimate. */
export type TableSummary = TableSummary_Serialize;
export type ColumnSummary = TableSummary["columns"][number];
export type { Badge } from "../bindings";
/** A saved view as the backend keeps it (`src-tauri/src/views.rs`). */
export type View = View_Serialize;
/** What `audit verify` found (`core/src/audit_chain.rs`). */
export type ChainReport = ChainReport_Serialize;
export type ChainStatus = ChainStatus_Serialize;
export type { Problem, ProblemKind, VerifyProgress };
export type ViewList = ViewList_Serialize;
export type Grant = Grant_Serialize;
export type { Analyzed };
export type DatabaseHealth = DatabaseHealth_Serialize;
export type TableHealth = TableHealth_Serialize;
export type RevertPreview = RevertPreview_Serialize;
export type CompatReport = CompatReport_Serialize;
export type ListQuery = ListQuery_Deserialize;
export type Page = Page_Serialize;
export type Row = Page["rows"][number];

/** The row's `updated_at` as an edit must send it back: `null` when the row has none (a row the
 *  server wrote without one, or a table without the column). */
export function versionOf(row: Row): string | null {
  return typeof row.updated_at === "string" ? row.updated_at : null;
}
export type SessionInfo = SessionInfo_Serialize;
export type Summary = Summary_Serialize;
export type UpdateUser = UpdateUser_Deserialize;
export type KeyStatus = KeyStatus_Serialize;
export type SetConfig = SetConfig_Deserialize;
export type UpdateProfile = UpdateProfile_Deserialize;
export type SaveConnection = SaveConnection_Deserialize;
export type { Target, TlsMode };
export type { ExportSelection, GenesysKind, PhotoTarget };

/** A command's error as it crossed IPC: `{kind, message, field}`. */
export class AppError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "AppError";
  }
}

type Reply<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

function isPayload(e: unknown): e is { kind: string; message: string; field?: string | null } {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

async function unwrap<T>(reply: Promise<Reply<T>>): Promise<T> {
  const r = await reply;
  if (r.status === "ok") return r.data;
  if (isPayload(r.error)) throw new AppError(r.error.kind, r.error.message, r.error.field ?? null);
  throw new AppError("internal", String(r.error));
}

/** A second launch of the app (`whodis-admin --database URL` while this window is open) hands
 *  its database to this window: `opened` once it is open, `failed` when it could not be.
 *  Resolves to the function that stops listening. */
export async function onSecondLaunch(
  opened: (info: SessionInfo) => void,
  failed: (e: AppError) => void,
): Promise<() => void> {
  const stops = await Promise.all([
    listen<SessionInfo>("second-launch-opened", (event) => opened(event.payload)),
    listen<unknown>("second-launch-failed", (event) =>
      failed(isPayload(event.payload) ? new AppError(event.payload.kind, event.payload.message) : new AppError("internal", String(event.payload))),
    ),
  ]);
  return () => stops.forEach((stop) => stop());
}

export const api = {
  sessionInfo: () => unwrap(commands.sessionInfo()),
  about: () => unwrap(commands.about()),
  updateCheck: () => unwrap(commands.updateCheck()),
  /** Installs the newer version and restarts the app (it does not return when it works). */
  updateInstall: () => unwrap(commands.updateInstall()),
  listConnections: () => unwrap(commands.listConnections()),
  saveConnection: (req: SaveConnection) => unwrap(commands.saveConnection(req)),
  testConnection: (req: SaveConnection) => unwrap(commands.testConnection(req)),
  openConnection: (id: string) => unwrap(commands.openConnection(id)),
  removeConnection: (id: string) => unwrap(commands.removeConnection(id)),
  // The file dialogs below are native and opened by the backend; each resolves to null (or
  // false) when the user cancels.
  chooseSqliteFile: () => unwrap(commands.chooseSqliteFile()),
  summary: () => unwrap(commands.databaseSummary()),
  auditPerDay: (days: number) => unwrap(commands.auditPerDay(days)),
  /** What reverting an audit row would change, or why it cannot be reverted. */
  revertPreview: (auditId: number) => unwrap(commands.revertPreview(auditId)),
  /** Walks the whole audit log checking its hash chain; progress as rows are read. */
  verifyAuditChain: (onProgress: (p: VerifyProgress) => void): Promise<ChainReport> => {
    const channel = new Channel<VerifyProgress>();
    channel.onmessage = onProgress;
    return unwrap(commands.verifyAuditChain(channel));
  },
  auditChainStatus: () => unwrap(commands.auditChainStatus()),
  startAuditChain: () => unwrap(commands.startAuditChain()),
  revertChange: (auditId: number) => unwrap(commands.revertChange(auditId)),
  schemaReport: () => unwrap(commands.schemaReport()),
  adoptPlan: () => unwrap(commands.adoptPlan()),
  /** Runs the plan the operator was shown; refused if the plan changed since. */
  adoptDatabase: (expected: string[]) => unwrap(commands.adoptDatabase(expected)),
  /** Sizes, rows and last vacuum/analyze of the database and each table (anyone who may read). */
  databaseHealth: () => unwrap(commands.databaseHealth()),
  /** ANALYZE every table: an admin's, audited; a login the database does not let analyze is refused. */
  analyzeDatabase: () => unwrap(commands.analyzeDatabase()),
  /** A screen's saved views (the app's config folder, shared by every connection). */
  listViews: (screen: string) => unwrap(commands.listViews(screen)),
  /** Refused as a conflict when the name exists, unless `overwrite`. */
  saveView: (screen: string, view: View, overwrite: boolean) => unwrap(commands.saveView(screen, view, overwrite)),
  deleteView: (screen: string, name: string) => unwrap(commands.deleteView(screen, name)),
  setDefaultView: (screen: string, name: string | null) => unwrap(commands.setDefaultView(screen, name)),
  columns: (table: TableName) => unwrap(commands.tableColumns(table)),
  listRows: (table: TableName, query: ListQuery) => unwrap(commands.listRows(table, query)),
  /** How many rows the filters select (the window asks for it beside the first page). */
  countRows: (table: TableName, query: ListQuery) => unwrap(commands.countRows(table, query)),
  /** Every table of the open database, for the Tables screen. */
  exploreTables: () => unwrap(commands.exploreTables()),
  /** Every table, after the catalog is read again (a table added while the app was open). */
  rereadTables: () => unwrap(commands.rereadTables()),
  /** How many rows of a table with `expires_at` have expired. */
  countExpiredRows: (table: string) => unwrap(commands.countExpiredRows(table)),
  /** Removes them (recorded in the audit log, or the journal of a database that is not WhoDis's). */
  removeExpiredRows: (table: string) => unwrap(commands.removeExpiredRows({ table })),
  /** Edits one row of an explored table (refused if it changed since `expected` was read). */
  editRow: (req: EditRow) => unwrap(commands.editRow(req)),
  deleteRow: (req: DeleteTableRow) => unwrap(commands.deleteRow(req)),
  /** Inserts one row into an explored table; returns it as stored. */
  insertRow: (req: InsertRow) => unwrap(commands.insertRow(req)),
  /** An explicit, recorded reveal of one masked value of an explored table's row. */
  revealValue: (req: RevealValue) => unwrap(commands.revealValue(req)),
  /** What one bytes cell of an explored table holds (size, image type, first bytes); null when empty. */
  previewBytes: (table: string, column: string, key: Row) => unwrap(commands.previewBytes(table, column, key)),
  exportRows: (req: ExportSelection, onProgress: (p: ExportProgress) => void): Promise<Exported | null> => {
    const channel = new Channel<ExportProgress>();
    channel.onmessage = onProgress;
    return unwrap(commands.exportRows(req, channel));
  },
  exportCancel: () => unwrap(commands.exportCancel()),
  createUser: (req: CreateUser) => unwrap(commands.createUser(req)),
  updateUser: (req: UpdateUser) => unwrap(commands.updateUser(req)),
  deleteUser: (req: DeleteRow) => unwrap(commands.deleteUser(req)),
  replacePhoto: (req: PhotoTarget) => unwrap(commands.replacePhoto(req)),
  removePhoto: (req: PhotoTarget) => unwrap(commands.removePhoto(req)),
  updateProfile: (req: UpdateProfile) => unwrap(commands.updateProfile(req)),
  importGenesysFile: (kind: GenesysKind) => unwrap(commands.importGenesysFile(kind)),
  complianceMatrix: () => unwrap(commands.complianceMatrix()),
  complianceReport: () => unwrap(commands.complianceReport()),
  exportComplianceReport: () => unwrap(commands.exportComplianceReport()),
  addMapping: (req: AddMapping) => unwrap(commands.addMapping(req)),
  removeMapping: (req: RemoveMapping) => unwrap(commands.removeMapping(req)),
  /** Records that one employee holds a role (refused as a conflict when they already do). */
  assignRole: (req: AssignRole) => unwrap(commands.assignRole(req)),
  /** Records that one employee no longer holds a role (not_found when they do not). */
  unassignRole: (req: UnassignRole) => unwrap(commands.unassignRole(req)),
  extendExpiration: (req: ExtendExpiration) => unwrap(commands.extendExpiration(req)),
  deleteExpiring: (req: DeleteExpiring) => unwrap(commands.deleteExpiring(req)),
  cleanupExpired: (req: CleanupExpired) => unwrap(commands.cleanupExpired(req)),
  keyStatus: () => unwrap(commands.keyStatus()),
  configSet: (req: SetConfig) => unwrap(commands.configSet(req)),
  configDelete: (req: DeleteConfig) => unwrap(commands.configDelete(req)),
  configProtect: (path: string, encrypt: boolean, expectedUpdatedAt: string | null) =>
    unwrap(commands.configProtect({ path, encrypt, expected_updated_at: expectedUpdatedAt })),
  /** An explicit, audited reveal. */
  configReveal: (path: string) => unwrap(commands.configReveal(path)),
  keyInit: () => unwrap(commands.keyInit()),
  keyImport: (recovery: string) => unwrap(commands.keyImport({ recovery })),
  /** The recovery string: an explicit, audited reveal. */
  keyExport: (fernet: boolean) => unwrap(commands.keyExport({ fernet })),
  /** The audit chain key's recovery string: an explicit, audited reveal. */
  chainKeyExport: () => unwrap(commands.chainKeyExport()),
  setWriteFormat: (format: WriteFormat) => unwrap(commands.setWriteFormat({ format })),
  keyRotate: (onProgress: (p: RotateProgress) => void): Promise<Rotation> => {
    const channel = new Channel<RotateProgress>();
    channel.onmessage = onProgress;
    return unwrap(commands.keyRotate(channel));
  },
  keyRotateCancel: () => unwrap(commands.keyRotateCancel()),
};
