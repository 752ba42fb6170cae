/* Hồ sơ: the clerk issues the dossier's citizen a one-time code to open their store. */
"use strict";
(function () {
  const S = window.Sohoa;
  const button = document.getElementById("citizen-code-issue");
  if (!button || S.role() !== "clerk") { if (button) button.hidden = true; return; }
  const box = document.getElementById("citizen-code");
  const error = document.getElementById("citizen-code-error");
  button.addEventListener("click", async () => {
    const id = (document.getElementById("dossier-citizen").textContent || "").trim();
    if (!/^\d{12}$/.test(id)) { S.show(error, "Hồ sơ chưa tải xong; thử lại sau giây lát."); return; }
    button.disabled = true;
    S.show(error, "");
    try {
      const issued = await S.api("POST", "/citizens/" + id + "/access-codes");
      document.getElementById("citizen-code-value").textContent = issued.code;
      document.getElementById("citizen-code-expires").textContent = S.dateTimeVi(issued.expires_at);
      box.hidden = false;
    } catch (e) { S.show(error, e.message); }
    finally { button.disabled = false; }
  });
})();
