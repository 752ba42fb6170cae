/* Nhật ký truy cập (admin): the audit log, optionally for one citizen. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["admin"])) return;
  const el = S.el;
  const input = document.getElementById("audit-id");
  const error = document.getElementById("audit-error");
  const rows = document.getElementById("audit-rows");
  const empty = document.getElementById("audit-empty");

  async function load() {
    const id = input.value.replace(/\s+/g, "");
    input.removeAttribute("aria-invalid");
    if (id && !/^\d{12}$/.test(id)) {
      input.setAttribute("aria-invalid", "true");
      S.show(error, "Số định danh cá nhân phải gồm đúng 12 chữ số.");
      input.focus();
      return;
    }
    S.show(error, "");
    try {
      const events = S.listOf(await S.api("GET", "/audit?limit=300" + (id ? "&citizen_id_number=" + id : "")), "events");
      rows.replaceChildren(...events.map((e) => el("tr", { dataset: { action: e.action } },
        el("td", {}, S.dateTimeVi(e.at)),
        el("td", {}, e.actor || "", e.role ? el("div", { class: "muted small" }, S.L.roles[e.role] || e.role) : null),
        el("td", {}, S.L.auditActions[e.action] || e.action),
        el("td", { class: "mono" }, e.citizen_id_number || ""),
        el("td", { class: "mono small" }, e.document_id || ""))));
      document.getElementById("audit-count").textContent = "(" + events.length + ")";
      S.show(empty, events.length ? "" : "Chưa có sự kiện nào.");
    } catch (e) { S.show(error, e.message); }
  }

  document.getElementById("audit-form").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();
