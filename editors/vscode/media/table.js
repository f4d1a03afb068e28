// The periodic table webview: lists the occurrences of the clicked element and asks the
// extension to open one. The extension renders the grid; this script only reacts to clicks.
(function () {
  "use strict";
  const vscode = acquireVsCodeApi();
  let details = JSON.parse(document.getElementById("cpt-data").textContent || "[]");
  let selected = (vscode.getState() || {}).selected;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function showDetails(id) {
    const pane = document.getElementById("details");
    const item = details.find((entry) => entry.id === id);
    document.querySelectorAll(".tile.selected").forEach((tile) => tile.classList.remove("selected"));
    pane.replaceChildren();
    if (!item) {
      pane.appendChild(element("p", "hint", "Click an element to list its occurrences."));
      return;
    }
    const tile = document.querySelector(`.tile[data-element="${CSS.escape(id)}"]`);
    if (tile) {
      tile.classList.add("selected");
    }
    const title = element("h2", "", `${item.symbol} ${item.name}`);
    const explain = element("button", "explain", "Explain");
    explain.addEventListener("click", () => vscode.postMessage({ type: "explain", id: item.id }));
    title.appendChild(explain);
    pane.appendChild(title);
    pane.appendChild(element("p", `severity-${item.severity}`, `${item.id} · ${item.severity}`));
    pane.appendChild(element("p", "", item.summary));
    if (item.occurrences.length === 0) {
      pane.appendChild(element("p", "hint",
        "No occurrences in open files. Scan the workspace to look at every file."));
      return;
    }
    const list = element("ul", "occurrences");
    for (const occurrence of item.occurrences) {
      const link = element("a", "", occurrence.label);
      link.href = "#";
      link.addEventListener("click", (event) => {
        event.preventDefault();
        vscode.postMessage({ type: "open", uri: occurrence.uri, line: occurrence.line,
          character: occurrence.character });
      });
      const entry = element("li");
      entry.appendChild(link);
      list.appendChild(entry);
    }
    pane.appendChild(list);
  }

  document.getElementById("grid").addEventListener("click", (event) => {
    const tile = event.target.closest(".tile");
    if (tile) {
      selected = tile.dataset.element;
      vscode.setState({ selected });
      showDetails(selected);
    }
  });
  document.getElementById("refresh").addEventListener("click",
    () => vscode.postMessage({ type: "refresh" }));
  document.getElementById("scan").addEventListener("click",
    () => vscode.postMessage({ type: "scan" }));

  window.addEventListener("message", (event) => {
    const message = event.data;
    if (message.type === "update") {
      document.getElementById("grid").innerHTML = message.grid;
      document.getElementById("summary").textContent = message.summary;
      details = message.details;
      showDetails(selected);
    }
  });

  if (selected) {
    showDetails(selected);
  }
})();
