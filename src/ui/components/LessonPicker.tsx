// The list of guided lessons: a card per lesson (title, description, how many steps and
// questions), and, when the simulator still holds a lesson that is under way, a way back into it.
import type { RefObject } from 'react';
import type { LessonEntry } from '../lessons';

export interface ResumableLesson {
  lesson: LessonEntry;
  /** "Step 3 of 9" or "finished". */
  where: string;
}

export function LessonPicker({
  lessons,
  resumable,
  onStart,
  onResume,
  starting,
  error,
  headingRef,
}: {
  lessons: readonly LessonEntry[];
  resumable: ResumableLesson | null;
  onStart: (lesson: LessonEntry) => void;
  onResume: () => void;
  /** Id of the lesson being loaded, if any. */
  starting: string | null;
  error: string | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <section aria-labelledby="lesson-picker-heading" className="mx-auto flex max-w-7xl flex-col gap-4 p-1">
      <div className="flex flex-col gap-1">
        <h2 id="lesson-picker-heading" ref={headingRef} tabIndex={-1} className="text-2xl font-bold tracking-tight">
          Guided lessons
        </h2>
        <p className="max-w-3xl text-base text-slate-800 dark:text-slate-200">
          Each lesson plays a short script on the simulated clock, one step each time you press <strong>Next</strong>. Before the decisive
          steps you are asked to predict what will happen, and running the step shows whether you were right. You can leave the script at
          any moment with <strong>Explore from here</strong> and carry on in the sandbox.
        </p>
        <p className="text-sm text-slate-700 dark:text-slate-300">Starting a lesson replaces the simulation that is running now.</p>
      </div>
      {error && (
        <p role="alert" className="rounded border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-50">
          ✗ {error}
        </p>
      )}
      {resumable && (
        <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg border-2 border-teal-700 bg-teal-50 px-3 py-2 dark:border-teal-500 dark:bg-teal-950">
          <p className="text-sm">
            <span className="font-semibold">In progress:</span> {resumable.lesson.title} ({resumable.where})
          </p>
          <button
            type="button"
            onClick={onResume}
            className="rounded-md bg-teal-800 px-3 py-1 text-sm font-bold text-white hover:bg-teal-900 dark:bg-teal-700 dark:hover:bg-teal-600"
          >
            Continue this lesson
          </button>
        </div>
      )}
      <ol className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
        {lessons.map((lesson, i) => {
          const descriptionId = `lesson-card-${lesson.id}-description`;
          return (
            <li
              key={lesson.id}
              className="relative flex flex-col gap-2 rounded-lg border border-slate-300 bg-white p-3 shadow-sm focus-within:border-teal-700 hover:border-teal-700 dark:border-slate-700 dark:bg-slate-900 dark:focus-within:border-teal-400 dark:hover:border-teal-400"
            >
              <h3 className="flex items-start gap-2 text-base leading-snug font-bold">
                <span
                  aria-hidden="true"
                  className="mt-0.5 inline-block min-w-6 shrink-0 rounded bg-slate-200 px-1 text-center text-sm tabular-nums dark:bg-slate-700"
                >
                  {i + 1}
                </span>
                <button
                  type="button"
                  aria-describedby={descriptionId}
                  aria-busy={starting === lesson.id || undefined}
                  onClick={() => onStart(lesson)}
                  className="text-left text-teal-900 underline decoration-teal-700/40 underline-offset-2 after:absolute after:inset-0 after:content-[''] hover:decoration-teal-700 dark:text-teal-200 dark:decoration-teal-300/40"
                >
                  {lesson.title}
                </button>
              </h3>
              <p id={descriptionId} className="text-sm text-slate-800 dark:text-slate-200">
                {lesson.description}
              </p>
              <p className="mt-auto text-xs font-medium text-slate-700 dark:text-slate-300">
                {lesson.steps} steps · {lesson.predictions} {lesson.predictions === 1 ? 'prediction' : 'predictions'}
                {starting === lesson.id ? ' · starting…' : ''}
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
