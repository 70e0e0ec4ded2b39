import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri window loads the dev server on 1420 (tauri.conf.json devUrl) or the built dist/.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  // times show in local time by default: the tests' local time is UTC, whatever the machine's
  test: { environment: "jsdom", globals: true, setupFiles: ["src/test-setup.ts"], env: { TZ: "UTC" } },
});
