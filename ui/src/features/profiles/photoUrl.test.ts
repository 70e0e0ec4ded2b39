import { describe, expect, it } from "vitest";

import { photoUrl } from "./photoUrl";

describe("photo URLs", () => {
  it("address the photo scheme by id, per platform", () => {
    expect(photoUrl(42, false, "Mozilla/5.0 (X11; Linux x86_64)")).toBe("photo://localhost/42");
    expect(photoUrl(42, true, "Mozilla/5.0 (Macintosh)")).toBe("photo://localhost/42/thumb");
    expect(photoUrl(7, true, "Mozilla/5.0 (Windows NT 10.0) Edg/130")).toBe("http://photo.localhost/7/thumb");
  });
});
