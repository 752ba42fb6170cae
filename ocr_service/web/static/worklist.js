/* Việc hôm nay: today's and unfinished dossiers, what needs the clerk first; filters. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["clerk", "officer"])) return;
  const el = S.el;
  const list = document.getElementById("worklist");
  const empty = document.getElementById("worklist-empty");
  const more = document.getElementById("worklist-more");
  const params = new URLSearchParams(location.search);
  const active = new Set(params.getAll("loc"));
  let offset = 0;

  function link(d, item) {
    if (item.kind === "component") return "/thanh-phan/" + encodeURIComponent(item.component_id);
    return "/thanh-phan/" + encodeURIComponent(item.component_id) + "#doc-" + encodeURIComponent(item.id);
  }

  function render(d) {
    const items = d.attention || [];
    return el("li", { class: "work", dataset: { dossierId: d.id, stage: d.stage } },
      el("div", { class: "recent-top" },
        el("a", { href: "/ho-so/" + encodeURIComponent(d.id), class: "mono" }, d.code || d.id),
        S.stageBadge(d.stage)),
      el("div", {}, (S.L.procedures[d.procedure_code] || d.procedure_code || "") + " · " + d.citizen_id_number +
        " · " + S.dateTimeVi(d.created_at) + " · " + d.created_by),
      items.length ? el("ul", { class: "attention" }, items.map((i) => el("li", { dataset: { itemId: i.id } },
        el("a", { href: link(d, i) }, i.kind === "component" ? "Thành phần xử lý lỗi" : S.docTypeLabel(i.doc_type)),
        " ", i.reasons.map(S.reasonBadge)))) : null);
  }

  async function load(append) {
    const query = new URLSearchParams();
    active.forEach((f) => query.append("filter", f));
    query.set("limit", "30");
    query.set("offset", String(offset));
    try {
      const body = await S.api("GET", "/worklist?" + query.toString());
      const nodes = body.items.map(render);
      if (append) list.append(...nodes); else list.replaceChildren(...nodes);
      const n = list.children.length;
      document.getElementById("worklist-count").textContent = "(" + n + (body.next_offset !== null ? "+" : "") + ")";
      S.show(empty, n ? "" : "Không có hồ sơ nào cần xử lý.");
      more.hidden = body.next_offset === null;
      offset = body.next_offset || offset;
    } catch (e) { S.show(empty, e.message); }
  }

  document.querySelectorAll(".filter").forEach((b) => {
    b.setAttribute("aria-pressed", String(active.has(b.dataset.filter)));
    b.addEventListener("click", () => {
      const f = b.dataset.filter;
      if (active.has(f)) active.delete(f); else active.add(f);
      b.setAttribute("aria-pressed", String(active.has(f)));
      const url = new URL(location.href);
      url.searchParams.delete("loc");
      active.forEach((x) => url.searchParams.append("loc", x));
      history.replaceState(null, "", url);
      offset = 0;
      load(false);
    });
  });
  more.addEventListener("click", () => load(true));
  load(false);
})();
