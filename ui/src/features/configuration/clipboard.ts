// Copies text; falls back to a hidden textarea where the async clipboard API is unavailable
// (some webviews refuse it without a user-granted permission).
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("the clipboard is not available; select the text and copy it");
  }
}

/** Copies a secret and takes it off the clipboard after `seconds`, if it is still what the
 *  clipboard holds (where the clipboard cannot be read back, it is left as the user left it). */
export async function copyForAWhile(text: string, seconds: number): Promise<void> {
  await copyText(text);
  setTimeout(() => {
    navigator.clipboard
      .readText()
      .then((now) => (now === text ? navigator.clipboard.writeText("") : undefined))
      .catch(() => {});
  }, seconds * 1000);
}
