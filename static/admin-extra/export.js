// The export page's « Tout sélectionner » box checks or unchecks every column, and follows
// them: checked when all are, mixed when some are.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".export-select-all");
  if (!toggle) {
    return;
  }
  const columns = [...document.querySelectorAll(".selectable-field-export-row input[type=checkbox]")];
  const follow = () => {
    const checked = columns.filter((column) => column.checked).length;
    toggle.checked = checked === columns.length;
    toggle.indeterminate = checked > 0 && checked < columns.length;
  };
  toggle.addEventListener("change", () => {
    columns.forEach((column) => {
      column.checked = toggle.checked;
    });
    follow();
  });
  columns.forEach((column) => column.addEventListener("change", follow));
  follow();
});
