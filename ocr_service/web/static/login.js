/* Đăng nhập: paste a token, check it with GET /me, remember it, go to the role's page. */
"use strict";
(function () {
  const S = window.Sohoa;
  S.initChrome(null);
  const form = document.getElementById("login-form");
  const input = document.getElementById("token");
  const error = document.getElementById("login-error");
  const current = document.getElementById("login-current");
  const params = new URLSearchParams(location.search);

  function nextUrl(role) {
    const next = params.get("next");
    // Only same-site paths, never another origin.
    if (next && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\")) return next;
    return S.HOME[role] || "/dang-nhap";
  }

  function showCurrent() {
    const role = S.role();
    if (!S.token() || !role) { current.hidden = true; form.hidden = false; return; }
    current.hidden = false;
    form.hidden = true;
    document.getElementById("current-role").textContent = S.L.roles[role] || role;
    document.getElementById("current-subject").textContent = S.subject() ? " (" + S.subject() + ")" : "";
    document.getElementById("continue-link").href = nextUrl(role);
  }

  document.getElementById("login-logout").addEventListener("click", () => {
    S.logout();
    location.assign("/dang-nhap");
  });

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = input.value.replace(/\s+/g, "").replace(/^Bearer/i, "");
    if (!t) {
      input.setAttribute("aria-invalid", "true");
      S.show(error, "Hãy dán mã truy cập.");
      input.focus();
      return;
    }
    const button = document.getElementById("login-submit");
    button.disabled = true;
    S.show(error, "");
    try {
      const r = await fetch(S.API + "/me", { headers: { Authorization: "Bearer " + t, Accept: "application/json" } });
      const data = await r.json().catch(() => null);
      if (!r.ok || !data || !data.role) throw new S.ApiError(r.status, data && data.error);
      S.saveLogin(t, data);
      location.assign(nextUrl(data.role));
    } catch (e) {
      input.setAttribute("aria-invalid", "true");
      S.show(error, e.status === 401 || e.status === 403 ? S.L.errors.unauthenticated : e.message);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });

  showCurrent();
  if (!form.hidden) input.focus();
})();
