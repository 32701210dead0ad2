// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/vendor/govuk-frontend.min.js";
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Pupil pickers: a "Find a pupil" box (the pupilSearch partial, a GET form
// that narrows the list on the server without JavaScript) filters the
// picker's options as you type. Every word typed must appear in the
// option's text (name, year, class, date of birth); the empty first
// option and the chosen pupil always stay. The count is announced in the
// partial's status line.
function pupilFilter(input) {
  const select = document.getElementById(input.dataset.pupilFilter);
  if (!select) return;
  const status = document.getElementById(input.id + "-count");
  const all = Array.from(select.options);
  const pupils = all.filter((o) => o.value !== "").length;
  let timer = 0;
  const apply = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const keep = all.filter((o) => {
      if (o.value === "" || o.selected || words.length === 0) return true;
      const text = o.text.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    select.replaceChildren(...keep);
    if (status) {
      const n = keep.filter((o) => o.value !== "").length;
      status.textContent = words.length === 0 ? "" :
        n === 1 ? "1 pupil matches your search." : n + " pupils match your search.";
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  // With the list filtered in the page, Enter in the box moves on to the
  // list instead of reloading the page.
  input.form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply();
    select.focus();
  });
  if (pupils > 0 && input.value) apply();
}

document.querySelectorAll("input[data-pupil-filter]").forEach(pupilFilter);
