/* Kho dữ liệu của tôi: the signed-in citizen's own documents, to view and download. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["citizen"])) return;
  const el = S.el;
  const list = document.getElementById("citizen-docs");
  const empty = document.getElementById("citizen-empty");
  const error = document.getElementById("citizen-error");

  /** An in-page preview of the PDF, loaded only when opened (each view is audited). */
  function preview(doc) {
    const url = S.fileUrl(doc);
    if (!url) return null;
    const details = el("details", { class: "preview" }, el("summary", {}, "Xem trước"));
    details.addEventListener("toggle", () => {
      if (details.open && !details.querySelector("iframe")) {
        details.append(el("iframe", { src: url, title: "Bản PDF " + S.docTypeLabel(doc.doc_type), loading: "lazy" }));
      }
    });
    return details;
  }

  function card(doc) {
    const fields = S.orderedFields(doc);
    return el("li", { class: "doc-card", dataset: { documentId: doc.id, docType: doc.doc_type } },
      el("h4", {}, S.docTypeLabel(doc.doc_type)),
      el("div", { class: "badges" }, doc.review_status === "needs_review"
        ? S.badge("Đang được cán bộ kiểm tra", "badge-info") : S.reviewBadge(doc.review_status),
        doc.review_status === "approved" ? S.signatureBadge(doc.signature) : null),
      el("p", { class: "muted" }, "Mã số hóa: ", el("span", { class: "code-chip digitization-code" }, doc.digitization_code || "—")),
      S.signatureBox(doc), S.qrImage(doc),
      fields.length ? el("dl", { class: "kv" }, fields.map(([k, v]) => [el("dt", {}, S.fieldLabel(k)), el("dd", {}, S.fieldValue(k, v))])) : null,
      el("p", { class: "muted" }, doc.created_at ? "Số hóa lúc " + S.dateTimeVi(doc.created_at) : ""),
      preview(doc),
      S.fileUrl(doc) ? el("p", { class: "actions" },
        el("a", { class: "btn open-pdf", href: S.fileUrl(doc), target: "_blank", rel: "noopener" }, "Mở bản PDF"),
        el("a", { class: "btn btn-primary download", href: S.fileUrl(doc), download: (doc.digitization_code || doc.id) + ".pdf" }, "Tải về"))
        : el("p", { class: "muted" }, "Bản PDF đang được chuẩn bị."));
  }

  // Tìm trong giấy tờ của tôi: the server searches only this citizen's approved documents.
  S.searchBox({
    form: document.getElementById("citizen-search-form"),
    input: document.getElementById("citizen-search-q"),
    list: document.getElementById("citizen-search-results"),
    status: document.getElementById("citizen-search-status"),
    more: document.getElementById("citizen-search-more"),
    path: "/search/documents",
    render: (hit, q) => {
      const node = card(hit.document);
      node.querySelector("h4").after(el("p", { class: "snippet" }, S.highlight(hit.snippet, q)));
      return node;
    },
  });

  async function load() {
    const idNumber = S.subject();
    try {
      const docs = S.listOf(await S.api("GET", "/citizens/" + encodeURIComponent(idNumber) + "/documents"), "documents");
      list.replaceChildren(...docs.map(card));
      S.show(empty, docs.length ? "" : "Bạn chưa có giấy tờ nào được số hóa.");
    } catch (e) {
      S.show(empty, "");
      S.show(error, e.status === 404 ? "Bạn chưa có giấy tờ nào được số hóa." : e.message);
    }
  }
  // Ai đã xem giấy tờ của tôi: who processed the citizen's data, when, for which dossier.
  const logRows = document.getElementById("access-log-rows");
  const logEmpty = document.getElementById("access-log-empty");
  const logError = document.getElementById("access-log-error");
  const more = document.getElementById("access-log-more");
  let nextOffset = 0;

  function logRow(e) {
    const doc = e.document_id ? [S.docTypeLabel(e.doc_type),
      e.digitization_code ? el("div", { class: "muted small mono" }, e.digitization_code) : null] : "—";
    const dossier = e.dossier_id ? [e.procedure_code ? "Thủ tục " + e.procedure_code : "Hồ sơ",
      el("div", { class: "muted small mono" }, e.dossier_id)] : "—";
    return el("tr", { dataset: { action: e.action } },
      el("td", {}, S.dateTimeVi(e.at)),
      el("td", { class: "actor" }, e.actor || e.actor_label, e.actor ? el("div", { class: "muted small" }, e.actor_label) : null),
      el("td", {}, e.action_label || S.L.auditActions[e.action] || e.action),
      el("td", {}, doc),
      el("td", {}, dossier));
  }

  async function loadLog() {
    try {
      const page = await S.api("GET", "/me/access-log?limit=50&offset=" + nextOffset);
      const entries = S.listOf(page, "entries");
      logRows.append(...entries.map(logRow));
      nextOffset = page && page.next_offset;
      more.hidden = nextOffset === null || nextOffset === undefined;
      S.show(logEmpty, logRows.children.length ? "" : "Chưa có ai xem hay xử lý giấy tờ của bạn.");
    } catch (e) {
      S.show(logEmpty, "");
      S.show(logError, e.message);
    }
  }
  more.addEventListener("click", loadLog);

  load();
  loadLog();
})();
