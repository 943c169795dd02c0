"""Grounding: is every number, name, document and date of a drafted text true to the facts?

The drafter's promise is that it never invents a figure, a name or a document. Whatever writes
the prose (the template, or a language model), :class:`Grounding` checks the result against
the facts before it is accepted — accepting what is true even when the facts do not spell it
out, and stopping what is not:

- **numbers** (:func:`drafter.text.numbers.extract_quantities`, Chinese numerals by value) —
  each count/amount/percentage must be a figure the section's facts give *for the same thing*:
  one written against another figure's label (修改8件 where 继续有效 is 8 and 修改 is 2) is
  a swap (:func:`drafter.text.derived.binding_conflict`). A figure computed from two given
  ones is true when its wording says what it is and the arithmetic holds under the checker's
  rounding rule (采纳率92.1%, 增长9.3%, 增加8家次, 100% where the facts say 均/全部 —
  :func:`drafter.text.derived.derivation`); "三个方面/四项工作" is true when it counts the
  items listed. Every other digit run must occur in the facts (or be the reporting year or
  the next); paragraph-initial heading numbers are ordinals, not figures;
- **文号 and dates** — a document number (〔2023〕15号) or a calendar date (6月15日) must be one
  the facts give;
- **names** (:func:`drafter.text.names.name_candidates`, shared with the NAM rules) — a person
  in a person position (beside a title or role word, split names included, or tagged as a
  name), a named organisation of any kind and a named place must occur in the facts or in the
  caller's known names (:class:`Known`);
- **titles** — a 《》 title is true when the facts or the corpus cite it, when the caller's
  local data knows it, or when it is a current document of the national law lexicon; a
  repealed or unknown title is a problem;
- **form** — no placeholder residue, no Markdown, no English sentence, no missing part (a
  sub-heading the plan gave, the causes of a shortcoming, a given figure or person), not empty.

Each problem says exactly what to fix, in Chinese, so the LLM backend can send it back as a
repair instruction and the run report can show it. "Nothing found" is stated as such
(``Verdict.checked``), never silently read as "grounded".
"""

from drafter.grounding.check import Grounding
from drafter.grounding.known import Known, facts_texts
from drafter.grounding.section import Groundings, SectionGrounding
from drafter.grounding.verdict import Problem, Verdict

__all__ = ["Grounding", "Groundings", "Known", "Problem", "SectionGrounding", "Verdict", "facts_texts"]
