/* Tái sử dụng: look up a citizen's digitized documents, open the PDF, reuse one for a dossier. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["officer", "clerk"])) return;
  const el = S.el;
  const idInput = document.getElementById("lookup-id");
  const typeSelect = document.getElementById("lookup-type");
  const dossierInput = document.getElementById("reuse-dossier");
  const error = document.getElementById("lookup-error");
  const results = document.getElementById("results");
  const heading = document.getElementById("results-title");

  function fieldsList(doc) {
    const entries = S.orderedFields(doc);
    if (!entries.length) return null;
    const corrected = doc.corrected_fields || {};
    return el("dl", { class: "kv" }, entries.map(([k, v]) => [el("dt", {}, S.fieldLabel(k)),
      el("dd", {}, S.fieldValue(k, v), corrected[k] ? el("span", { class: "edited", title: "Cán bộ tiếp nhận đã sửa giá trị đọc được" }, " (đã sửa)") : null)]));
  }

  // The dossier the officer is serving: named on every read, as its purpose (audited, and
  // shown to the citizen in "Ai đã xem giấy tờ của tôi").
  function served() { return dossierInput.value.trim(); }
  function withPurpose(path) {
    const id = served();
    return id ? path + (path.includes("?") ? "&" : "?") + "dossier_id=" + encodeURIComponent(id) : path;
  }

  /** Everyone the paper names; those a clerk has not confirmed are marked (staff-only). */
  function subjectsList(doc) {
    const subjects = doc.subjects || [];
    if (!subjects.length) return null;
    return el("ul", { class: "subjects small", "aria-label": "Người có tên trong giấy tờ" }, subjects.map((s) =>
      el("li", { dataset: { idNumber: s.id_number, confirmed: String(!!s.confirmed) } },
        el("span", { class: "mono" }, s.id_number), " ",
        s.confirmed
          ? S.badge(S.L.relations[s.relation] || "Đã xác nhận", "badge-ok")
          : S.badge("Chưa xác nhận — công dân này chưa xem được", "badge-warn", { class: "badge badge-warn unconfirmed" }))));
  }

  async function loadReuses(doc, details) {
    const list = details.querySelector("ul");
    try {
      const items = S.listOf(await S.api("GET", withPurpose("/documents/" + encodeURIComponent(doc.id) + "/reuses")), "reuses");
      list.replaceChildren(...(items.length ? items.map((r) => el("li", {},
        ["Hồ sơ " + (r.dossier_id || "—"), r.actor || r.by || "", S.L.roles[r.role] || "", S.dateTimeVi(r.created_at || r.at)]
          .filter(Boolean).join(" · "))) :
        [el("li", {}, "Chưa được sử dụng lại.")]));
    } catch (e) { list.replaceChildren(el("li", {}, e.message)); }
  }

  function card(doc) {
    const status = el("p", { class: "ok-text", role: "status", hidden: true });
    const err = el("p", { class: "error-text", role: "alert", hidden: true });
    const details = el("details", { class: "reuses" }, el("summary", {}, "Lịch sử sử dụng lại"), el("ul"));
    details.addEventListener("toggle", () => { if (details.open) loadReuses(doc, details); });
    const reuse = el("button", { type: "button", class: "btn btn-primary reuse" }, "Sử dụng lại cho hồ sơ này");
    reuse.addEventListener("click", async () => {
      S.show(err, ""); S.show(status, "");
      const dossierId = dossierInput.value.trim();
      if (!dossierId) {
        S.show(err, "Nhập mã hồ sơ đang giải quyết ở ô phía trên trước khi sử dụng lại.");
        dossierInput.setAttribute("aria-invalid", "true");
        dossierInput.focus();
        return;
      }
      reuse.disabled = true;
      try {
        const r = await S.api("POST", "/documents/" + encodeURIComponent(doc.id) + "/reuse", { dossier_id: dossierId });
        S.show(status, "Đã ghi nhận sử dụng lại cho hồ sơ " + dossierId + " lúc " + S.dateTimeVi((r && r.created_at) || new Date().toISOString()) + ".");
        if (details.open) loadReuses(doc, details);
      } catch (e) { S.show(err, e.message); }
      finally { reuse.disabled = false; }
    });
    return el("li", { class: "doc-card", dataset: { documentId: doc.id, docType: doc.doc_type } },
      el("h4", {}, S.docTypeLabel(doc.doc_type)),
      el("div", { class: "badges" }, S.reviewBadge(doc.review_status), S.verificationBadge(doc.verification),
        S.signatureBadge(doc.signature)),
      el("p", { class: "muted" }, "Mã số hóa: ", el("span", { class: "code-chip digitization-code" }, doc.digitization_code || "—"),
        doc.created_at ? " · số hóa lúc " + S.dateTimeVi(doc.created_at) : ""),
      S.signatureBox(doc), S.qrImage(doc),
      fieldsList(doc),
      subjectsList(doc),
      el("p", { class: "actions" },
        S.fileUrl(doc) ? el("a", { class: "btn open-pdf", href: withPurpose(S.fileUrl(doc)), target: "_blank", rel: "noopener" }, "Mở bản PDF") : null,
        reuse),
      status, err, details);
  }

  async function lookup(pushHistory) {
    const idNumber = idInput.value.replace(/\s+/g, "");
    idInput.removeAttribute("aria-invalid");
    if (!/^\d{12}$/.test(idNumber)) {
      idInput.setAttribute("aria-invalid", "true");
      S.show(error, "Số định danh cá nhân phải gồm đúng 12 chữ số.");
      idInput.focus();
      return;
    }
    S.show(error, "");
    if (pushHistory) {
      const q = new URLSearchParams({ so_dinh_danh: idNumber });
      if (typeSelect.value) q.set("loai", typeSelect.value);
      if (dossierInput.value.trim()) q.set("ho_so", dossierInput.value.trim());
      history.replaceState(null, "", "?" + q);
    }
    results.replaceChildren(heading, el("p", { class: "muted" }, "Đang tra cứu…"));
    try {
      const path = withPurpose("/citizens/" + encodeURIComponent(idNumber) + "/documents" + (typeSelect.value ? "?doc_type=" + encodeURIComponent(typeSelect.value) : ""));
      const docs = S.listOf(await S.api("GET", path), "documents");
      if (!docs.length) {
        results.replaceChildren(heading, el("p", { class: "card muted", id: "no-results" }, "Công dân " + idNumber + " chưa có giấy tờ nào được số hóa" + (typeSelect.value ? " thuộc loại này" : "") + "."));
        return;
      }
      const order = Object.keys(S.L.docTypes);
      const groups = new Map();
      for (const d of docs) { if (!groups.has(d.doc_type)) groups.set(d.doc_type, []); groups.get(d.doc_type).push(d); }
      const sorted = [...groups.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
      results.replaceChildren(heading,
        el("p", { class: "muted" }, "Công dân " + idNumber + ": " + docs.length + " giấy tờ đã số hóa."),
        ...sorted.map((t) => el("section", { class: "type-group", dataset: { docType: t } },
          el("h3", {}, S.docTypeLabel(t) + " (" + groups.get(t).length + ")"),
          el("ul", { class: "doc-grid" }, groups.get(t).map(card)))));
    } catch (e) {
      results.replaceChildren(heading);
      S.show(error, e.message);
    }
  }

  // Tìm giấy tờ theo nội dung: the same cards, with the words found marked in their text.
  S.searchBox({
    form: document.getElementById("doc-search-form"),
    input: document.getElementById("doc-search-q"),
    list: document.getElementById("doc-search-results"),
    status: document.getElementById("doc-search-status"),
    more: document.getElementById("doc-search-more"),
    path: "/search/documents",
    extra: () => ({ dossier_id: served() }),
    render: (hit, q) => {
      const node = card(hit.document);
      node.querySelector("h4").after(el("p", { class: "snippet" }, S.highlight(hit.snippet, q)),
        el("p", { class: "muted small" }, "Công dân: ", el("span", { class: "mono" }, hit.document.citizen_id_number)));
      return node;
    },
  });

  document.getElementById("lookup-form").addEventListener("submit", (ev) => { ev.preventDefault(); lookup(true); });
  dossierInput.addEventListener("input", () => dossierInput.removeAttribute("aria-invalid"));
  const params = new URLSearchParams(location.search);
  if (params.get("ho_so")) dossierInput.value = params.get("ho_so");
  if (params.get("loai")) typeSelect.value = params.get("loai");
  if (params.get("so_dinh_danh")) { idInput.value = params.get("so_dinh_danh"); lookup(false); }
  else idInput.focus();
})();
