import { describe, expect, it } from "vitest";

import { exportFormatOf } from "./ExportButton";

describe("export format", () => {
  it("follows the chosen file's extension, CSV otherwise", () => {
    expect(exportFormatOf("/tmp/audit.json")).toBe("json");
    expect(exportFormatOf("C:\\Users\\me\\AUDIT.JSON")).toBe("json");
    expect(exportFormatOf("/tmp/audit.csv")).toBe("csv");
    expect(exportFormatOf("/tmp/audit")).toBe("csv");
  });
});
