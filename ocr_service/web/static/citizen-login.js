/* Công dân đăng nhập: the form posts itself (no token to handle); only the header here. */
"use strict";
(function () {
  window.Sohoa.initChrome(null);
  const box = document.getElementById(document.getElementById("id-number").value ? "code" : "id-number");
  box.focus();
})();
