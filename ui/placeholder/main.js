// Placeholder until the React UI lands: shows the row counts of the open database.
const { invoke } = window.__TAURI__.core;

async function load() {
  try {
    const summary = await invoke("database_summary");
    document.getElementById("database").textContent = summary.database;
    const body = document.querySelector("#stats tbody");
    body.replaceChildren();
    for (const [model, s] of Object.entries(summary.tables)) {
      const row = document.createElement("tr");
      for (const [text, numeric] of [[model, false], [s.total, true], [s.active ?? "—", true]]) {
        const cell = document.createElement("td");
        cell.textContent = String(text);
        if (numeric) cell.className = "n";
        row.append(cell);
      }
      body.append(row);
    }
  } catch (e) {
    document.getElementById("error").textContent = e && e.message ? e.message : String(e);
  }
}

load();
