/* Kho dữ liệu của tôi: the signed-in citizen's own documents, to view and download. */
"use strict";
(function () {
  const S = window.Sohoa;
  if (!S.initChrome(["citizen"])) return;
  const el = S.el;
  const list = document.getElementById("citizen-docs");
  const empty = document.getElementById("citizen-empty");
  const error = document.getElementById("citizen-error");

  function thumb(doc) {
    const page = (doc.pages && doc.pages[0]) || 1;
    if (!doc.component_id) return null;
    const img = el("img", { class: "thumb", alt: "Ảnh trang " + page + " của " + S.docTypeLabel(doc.doc_type),
      src: S.pageImageUrl(doc.component_id, page), loading: "lazy" });
    img.addEventListener("error", () => img.remove());
    return img;
  }

  function card(doc) {
    const fields = Object.entries(doc.fields || {});
    return el("li", { class: "doc-card", dataset: { documentId: doc.id, docType: doc.doc_type } },
      thumb(doc),
      el("h4", {}, S.docTypeLabel(doc.doc_type)),
      el("div", { class: "badges" }, S.reviewBadge(doc.review_status), S.verificationBadge(doc.verification)),
      el("p", { class: "muted" }, "Mã số hóa: ", el("span", { class: "code-chip digitization-code" }, doc.digitization_code || "—")),
      fields.length ? el("dl", { class: "kv" }, fields.map(([k, v]) => [el("dt", {}, S.fieldLabel(k)), el("dd", {}, S.fieldValue(k, v))])) : null,
      el("p", { class: "muted" }, doc.created_at ? "Số hóa lúc " + S.dateTimeVi(doc.created_at) : ""),
      el("p", { class: "actions" },
        el("a", { class: "btn open-pdf", href: S.fileUrl(doc), target: "_blank", rel: "noopener" }, "Xem"),
        el("a", { class: "btn btn-primary download", href: S.fileUrl(doc), download: (doc.digitization_code || doc.id) + ".pdf" }, "Tải về")));
  }

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
  load();
})();
