// The script of `export --format html`: the search box and the sorting headings. The page is
// whole without it. The search folds the query by the same steps as s3pilot's `fold`, given
// as data (textrules.fold_rule); each row carries its texts folded already (data-search).
"use strict";
(() => {
  const config = JSON.parse(document.getElementById("s3pilot-config").textContent);
  const rule = config.fold;
  const words = config.words;
  const characterClass = (ranges) =>
    ranges.map(([first, last]) => `\\u{${first.toString(16)}}-\\u{${last.toString(16)}}`).join("");
  const invisible = new RegExp(`[${characterClass(rule.invisible)}]`, "gu");
  const marks = new RegExp(`[${characterClass(rule.marks)}]`, "gu");
  const separators = new RegExp(`[${characterClass(rule.separators)}]+`, "gu");
  const casefold = new Map(Object.entries(rule.casefold));
  const undecomposed = new Map(Object.entries(rule.undecomposed));

  // textrules.fold: without what draws nothing, NFKD without combining marks, case-folded, the
  // undecomposed letters replaced, every run of white space, hyphens and dashes one space, the
  // ends trimmed.
  const fold = (value) => {
    let folded = "";
    const visible = value.replace(invisible, "");
    for (const character of visible.normalize("NFKD").replace(marks, "")) {
      folded += casefold.get(character) ?? character.toLowerCase();
    }
    let replaced = "";
    for (const character of folded) {
      replaced += undecomposed.get(character) ?? character;
    }
    return replaced.replace(separators, " ").replace(/^ +| +$/g, "");
  };
  window.s3pilotFold = fold; // for the tests, which hold it to the Python rule

  const table = document.getElementById("clusters-table");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const box = document.getElementById("search-box");
  const count = document.getElementById("search-count");

  const filter = () => {
    const key = fold(box.value);
    let shown = 0;
    for (const row of rows) {
      const match = row.dataset.search.includes(key);
      row.hidden = !match;
      shown += match ? 1 : 0;
    }
    count.textContent = words.shown
      .replace("{shown}", String(shown))
      .replace("{total}", String(rows.length));
  };
  box.addEventListener("input", filter);
  document.getElementById("search").hidden = false;
  filter();

  const collator = new Intl.Collator(document.documentElement.lang, { numeric: true });
  const headings = Array.from(table.tHead.rows[0].cells);
  table.classList.add("sortable");
  headings.forEach((heading, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = heading.textContent;
    button.title = words.sort;
    heading.textContent = "";
    heading.append(button);
    button.addEventListener("click", () => {
      const ascending = heading.getAttribute("aria-sort") !== "ascending";
      for (const other of headings) other.removeAttribute("aria-sort");
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const text = (row) => row.cells[column].textContent.trim();
      const sorted = rows.slice().sort((a, b) => {
        const order = collator.compare(text(a), text(b));
        return ascending ? order : -order;
      });
      body.append(...sorted);
    });
  });
})();
