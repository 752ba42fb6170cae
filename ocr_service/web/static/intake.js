/* Tiếp nhận hồ sơ: open a dossier (procedure + citizen id), list recent dossiers. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["clerk"])) return;
  const el = S.el;
  const select = document.getElementById("procedure");
  const codeField = document.getElementById("procedure-code-field");
  const codeInput = document.getElementById("procedure-code");
  const idInput = document.getElementById("citizen-id");
  const error = document.getElementById("dossier-error");

  for (const input of [idInput, codeInput]) {
    input.addEventListener("input", () => { input.removeAttribute("aria-invalid"); S.show(error, ""); });
  }
  select.addEventListener("change", () => {
    codeField.hidden = select.value !== "";
    if (!codeField.hidden) codeInput.focus();
  });

  document.getElementById("dossier-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const procedure = select.value || codeInput.value.trim();
    const idNumber = idInput.value.replace(/\s+/g, "");
    idInput.removeAttribute("aria-invalid");
    codeInput.removeAttribute("aria-invalid");
    if (!procedure) {
      codeInput.setAttribute("aria-invalid", "true");
      S.show(error, "Hãy nhập mã thủ tục.");
      codeInput.focus();
      return;
    }
    if (!/^\d{12}$/.test(idNumber)) {
      idInput.setAttribute("aria-invalid", "true");
      S.show(error, "Số định danh cá nhân phải gồm đúng 12 chữ số.");
      idInput.focus();
      return;
    }
    S.show(error, "");
    const button = document.getElementById("open-dossier");
    button.disabled = true;
    try {
      const created = await S.api("POST", "/dossiers", { procedure_code: procedure, citizen_id_number: idNumber });
      location.assign("/ho-so/" + encodeURIComponent(created.id));
    } catch (e) {
      S.show(error, e.message);
      button.disabled = false;
    }
  });

  async function loadRecent() {
    const empty = document.getElementById("recent-empty");
    const list = document.getElementById("recent-list");
    try {
      const dossiers = S.listOf(await S.api("GET", "/dossiers?limit=15"), "dossiers");
      list.replaceChildren(...dossiers.map((d) => {
        const comps = d.components || [];
        const counts = comps.length ? comps.length + " thành phần" : (d.component_count != null ? d.component_count + " thành phần" : "");
        return el("li", {},
          el("div", { class: "recent-top" },
            el("a", { href: "/ho-so/" + encodeURIComponent(d.id), class: "mono", title: d.code ? "Mã định danh: " + d.id : null },
              d.code || d.id),
            d.status ? S.statusBadge(d.status) : null),
          el("div", {}, (S.L.procedures[d.procedure_code] || d.procedure_code || "") + " · " + (d.citizen_id_number || "")),
          el("div", { class: "muted small" }, [counts, S.dateTimeVi(d.created_at)].filter(Boolean).join(" · ")));
      }));
      S.show(empty, dossiers.length ? "" : "Chưa có hồ sơ nào.");
    } catch (e) {
      S.show(empty, e.status === 404 || e.status === 405 ? "Không tải được danh sách hồ sơ gần đây." : e.message);
    }
  }

  const params = new URLSearchParams(location.search);
  if (params.get("so_dinh_danh")) idInput.value = params.get("so_dinh_danh");
  loadRecent();
})();
