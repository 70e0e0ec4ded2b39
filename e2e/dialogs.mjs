// Answers the app's native file dialogs the way a person does, since WebDriver only reaches the
// page: find the GTK dialog window by its title on the Xvfb display, focus it, type the path
// and press Enter (xdotool sends real X key events). Or press Escape to cancel.

import { execFileSync } from "node:child_process";

import { waitFor } from "./webdriver.mjs";

function xdotool(...args) {
  return execFileSync("xdotool", args, { encoding: "utf8", timeout: 20000 }).trim();
}

/** The X window id of the visible dialog titled exactly `title`, once it is shown. */
async function dialogWindow(title) {
  const pattern = `^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
  const id = await waitFor(`the "${title}" dialog`, async () => {
    try {
      return xdotool("search", "--onlyvisible", "--name", pattern).split("\n")[0] || null;
    } catch {
      return null; // xdotool exits 1 while no window matches
    }
  });
  xdotool("windowfocus", "--sync", id);
  // GTK maps the dialog before its entry is ready for keys
  await new Promise((r) => setTimeout(r, 400));
  return id;
}

function typePath(path) {
  xdotool("type", "--delay", "5", path);
  xdotool("key", "Return");
}

/** A save dialog: its name field has focus; a full path typed there picks folder and name. */
export async function answerSave(title, path) {
  await dialogWindow(title);
  xdotool("key", "ctrl+a");
  typePath(path);
}

/** An open dialog: Ctrl+L opens its location field, which takes a full path. */
export async function answerOpen(title, path) {
  await dialogWindow(title);
  xdotool("key", "ctrl+l");
  typePath(path);
}

/** Closes the dialog as Cancel would. */
export async function cancelDialog(title) {
  await dialogWindow(title);
  xdotool("key", "Escape");
}
