// Answers the app's native file dialogs the way a person does, since WebDriver only reaches the
// page: find the GTK dialog window by its title on the Xvfb display, focus it, type the path
// and press Enter (xdotool sends real X key events). Or press Escape to cancel.

import { execFileSync } from "node:child_process";

import { waitFor } from "./webdriver.mjs";

function xdotool(...args) {
  return execFileSync("xdotool", args, { encoding: "utf8", timeout: 20000 }).trim();
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

function pattern(title) {
  return `^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

/** The X window id of the visible dialog titled exactly `title`, or null. */
export function visible(title) {
  try {
    return xdotool("search", "--onlyvisible", "--name", pattern(title)).split("\n")[0] || null;
  } catch {
    return null; // xdotool exits 1 while no window matches
  }
}

/** Waits for the dialog titled exactly `title` and focuses it. */
async function focusDialog(title) {
  const id = await waitFor(`the "${title}" dialog`, async () => visible(title));
  xdotool("windowfocus", "--sync", id);
  // GTK maps the dialog before its entry takes keys
  await pause(400);
}

/**
 * Types `path` into the dialog's location field and presses Enter, until the dialog closes.
 * GTK shows that field a moment after the key that opens it, and keys sent before are lost,
 * so each step waits and a dialog still open is answered again.
 */
async function answer(title, path, openField) {
  for (let attempt = 1; ; attempt++) {
    await focusDialog(title);
    if (openField) {
      xdotool("key", openField);
      await pause(500);
    }
    xdotool("key", "ctrl+a");
    xdotool("type", "--delay", "5", path);
    await pause(300);
    xdotool("key", "Return");
    for (let i = 0; i < 20 && visible(title); i++) await pause(100);
    if (!visible(title)) return;
    if (attempt === 3) throw new Error(`the "${title}" dialog did not take ${path}`);
  }
}

/** A save dialog: its name field has focus and takes a full path (folder and name). */
export function answerSave(title, path) {
  return answer(title, path, null);
}

/** An open dialog: Ctrl+L opens its location field, which takes a full path. */
export function answerOpen(title, path) {
  return answer(title, path, "ctrl+l");
}

/** Closes the dialog as Cancel would. */
export async function cancelDialog(title) {
  await focusDialog(title);
  xdotool("key", "Escape");
  await waitFor(`the "${title}" dialog to close`, async () => !visible(title));
}

/** Shows `folder` in an open dialog (its files listed, so GTK reads them) and leaves it open. */
export async function browseTo(title, folder) {
  await focusDialog(title);
  xdotool("key", "ctrl+l");
  await pause(500);
  xdotool("key", "ctrl+a");
  xdotool("type", "--delay", "5", folder.endsWith("/") ? folder : `${folder}/`);
  await pause(300);
  xdotool("key", "Return");
  // GTK lists the folder and sniffs its files' types
  await pause(1500);
}
