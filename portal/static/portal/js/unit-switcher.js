// The header's unit switcher changes the unit as soon as one is chosen; without this script
// its "Switch" button does the same.
document.querySelectorAll("form[data-submit-on-change]").forEach((form) => {
  form.classList.add("unit-switcher--auto");
  form.querySelector("select").addEventListener("change", () => form.submit());
});
