// The lesson bar shown above the simulator during a guided lesson: the title and goal, progress,
// the step that just ran (its narration, what happened and, for a question, whether the learner
// was right), the question before the next decisive step, and the script controls. All text
// comes from the scenario (its goal and its steps' `lesson` fields); this component only lays it
// out. It holds no lesson state of its own besides whether the goal is unfolded.
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { StepResult } from '../../sim/types';
import { formatClock, formatElapsed, formatSpan } from '../format';
import {
  judge,
  occurrenceCount,
  pendingQuestion,
  resultsOf,
  score,
  stepTitle,
  summarizeResults,
  type LessonProgress,
  type LessonStep,
  type Prediction,
  type ResultSummary,
} from '../lessons';
import type { WorldView } from '../view';
import { GlossaryButton, GlossaryTerms } from './GlossaryButton';

const secondaryButton =
  'rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';
const primaryButton =
  'min-w-28 rounded-md border border-teal-900 bg-teal-800 px-4 py-1.5 text-sm font-bold text-white hover:bg-teal-900 aria-disabled:cursor-not-allowed aria-disabled:border-slate-400 aria-disabled:bg-slate-200 aria-disabled:text-slate-700 dark:border-teal-400 dark:bg-teal-700 dark:hover:bg-teal-600 dark:aria-disabled:border-slate-600 dark:aria-disabled:bg-slate-800 dark:aria-disabled:text-slate-300';

export interface LessonPanelProps {
  view: WorldView;
  steps: readonly LessonStep[];
  progress: LessonProgress;
  /** The world's step results, up to the view's moment. */
  results: readonly StepResult[];
  answers: Readonly<Record<number, number>>;
  onAnswer: (stepNumber: number, choice: number) => void;
  /** Next was pressed before the question was answered. */
  nudged: boolean;
  busy: boolean;
  /** Set when the loaded run is not the lesson as written (changed settings, or the script was left). */
  warning: string | null;
  /** Whether the script's remaining steps are still queued (false once it was left). */
  attached: boolean;
  onNext: () => void;
  onPrevious: () => void;
  onRestart: () => void;
  onExplore: () => void;
  /** Leaves for an empty sandbox with the lesson's settings. */
  onKeepExploring: () => void;
  onBack: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
  questionRef: RefObject<HTMLFieldSetElement | null>;
  completeRef: RefObject<HTMLHeadingElement | null>;
  nextRef: RefObject<HTMLButtonElement | null>;
}

export function LessonPanel(props: LessonPanelProps) {
  const { view, steps, progress, results, answers, busy, headingRef } = props;
  const titleId = useId();
  const hintId = useId();
  const started = progress.shown !== null;
  // The goal is open until the lesson starts; after that it folds away unless the learner opens it.
  const [goalChoice, setGoalChoice] = useState<boolean | null>(null);
  const goalOpen = goalChoice ?? !started;
  const question = pendingQuestion(progress);
  const unanswered = question !== null && progress.next !== null && props.answers[progress.next.number] === undefined;
  const nextBlocked = busy || progress.finished || unanswered || !props.attached;
  const { shown } = progress;
  // Beside the parties (presenter mode) the lesson text scrolls in its own box: when a step has
  // run, its card (what happened, the answer) comes to the top of that box.
  // The step's card, unless a question is open and the step revealed nothing: then the question.
  const cardRef = useRef<HTMLDivElement>(null);
  const nextRef = useRef<HTMLDivElement>(null);
  const shownNumber = shown?.number ?? -1;
  const revealed = !!shown?.predict || pendingQuestion(progress) === null;
  useEffect(() => {
    const card = (revealed ? cardRef : nextRef).current;
    const box = card?.closest('.lesson-stage-text');
    if (!card || !(box instanceof HTMLElement)) return;
    box.scrollTop = card.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
  }, [shownNumber, revealed]);
  const shownResults = shown ? resultsOf(shown, results, view.state.logs.steps) : [];

  return (
    <section
      role="region"
      aria-label="Lesson"
      className="@container flex flex-col gap-3 rounded-lg border-2 border-teal-700 bg-white p-3 shadow-sm dark:border-teal-500 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-xs font-bold tracking-wide text-teal-800 uppercase dark:text-teal-300">Lesson</p>
          <h2 id={titleId} ref={headingRef} tabIndex={-1} className="text-xl leading-tight font-bold">
            {view.scenario.title ?? 'Untitled lesson'}
          </h2>
        </div>
        <div className="flex flex-wrap gap-2">
          <GlossaryButton className={secondaryButton} />
          <button type="button" className={secondaryButton} onClick={props.onBack} aria-keyshortcuts="L">
            ← Back to lessons
          </button>
        </div>
      </div>

      <Progress progress={progress} steps={steps} />

      {view.scenario.goal && (
        <details
          open={goalOpen}
          onToggle={(e) => {
            const open = e.currentTarget.open;
            if (open !== goalOpen) setGoalChoice(open);
          }}
          className="rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 dark:border-slate-700 dark:bg-slate-950"
        >
          <summary className="cursor-pointer text-sm font-semibold">Goal of this lesson</summary>
          <p className="mt-1 max-w-5xl text-sm text-slate-800 dark:text-slate-200">{view.scenario.goal}</p>
        </details>
      )}

      {props.warning && (
        <p className="rounded border border-amber-600 bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          ⚠ {props.warning}
        </p>
      )}

      <div className="grid grid-cols-1 gap-3 @3xl:grid-cols-2">
        <div ref={cardRef} role="status" className="min-w-0 rounded-md border border-slate-300 p-3 dark:border-slate-700">
          {shown ? (
            <StepCard
              view={view}
              step={shown}
              ran={progress.shownRan}
              results={shownResults}
              answer={answers[shown.number]}
              total={steps.length}
            />
          ) : (
            <>
              <h3 className="text-base font-bold">Before you start</h3>
              <p className="mt-1 text-sm">
                Read the goal above, then press <strong>Next</strong> to run the first step. Each press runs one step of the script, moving
                the clock to it; watch the parties below react.
              </p>
            </>
          )}
        </div>
        <div ref={nextRef} className="min-w-0">
          {progress.finished ? (
            <Complete
              view={view}
              steps={steps}
              answers={answers}
              onBack={props.onBack}
              onExplore={props.onKeepExploring}
              headingRef={props.completeRef}
            />
          ) : question && progress.next ? (
            <Question
              key={progress.next.number}
              step={progress.next}
              view={view}
              total={steps.length}
              predict={question}
              chosen={answers[progress.next.number]}
              onChoose={(choice) => props.onAnswer(progress.next!.number, choice)}
              nudged={props.nudged}
              hintId={hintId}
              fieldsetRef={props.questionRef}
            />
          ) : progress.next ? (
            <UpNext step={progress.next} view={view} total={steps.length} partly={progress.next === shown} />
          ) : null}
        </div>
      </div>

      <div className="lesson-controls flex flex-wrap items-center gap-2">
        <button
          ref={props.nextRef}
          type="button"
          className={primaryButton}
          aria-disabled={nextBlocked || undefined}
          aria-describedby={unanswered ? hintId : undefined}
          aria-keyshortcuts="N PageDown"
          aria-busy={busy || undefined}
          onClick={props.onNext}
        >
          {busy ? 'Running…' : 'Next'}
          {!busy && <span aria-hidden="true"> →</span>}
        </button>
        <button
          type="button"
          className={secondaryButton}
          aria-disabled={busy || progress.previousTarget === null || undefined}
          aria-keyshortcuts="PageUp"
          onClick={props.onPrevious}
        >
          <span aria-hidden="true">← </span>Previous step
        </button>
        <button type="button" className={secondaryButton} onClick={props.onRestart}>
          Restart
        </button>
        <button
          type="button"
          className={secondaryButton}
          onClick={props.onExplore}
          title="Carry this moment over to the sandbox, without the rest of the script"
        >
          Explore from here
        </button>
        <p className="presenter-hide text-xs text-slate-700 dark:text-slate-300">
          Keys: <Kbd>N</Kbd> next step, <Kbd>Page Up</Kbd> previous, <Kbd>1</Kbd> <Kbd>2</Kbd>… answer, <Kbd>L</Kbd> lessons, <Kbd>[</Kbd>{' '}
          <Kbd>]</Kbd> other lesson.
        </p>
      </div>
      {/* After the controls, so Tab goes from a question's choices straight to Next. */}
      <GlossaryTerms texts={[started ? null : view.scenario.goal, shown?.narration, shown?.predict?.explanation, question?.question]} />
    </section>
  );
}

function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-slate-400 bg-slate-100 px-1 font-mono text-[0.7rem] dark:border-slate-500 dark:bg-slate-800">
      {children}
    </kbd>
  );
}

function Progress({ progress, steps }: { progress: LessonProgress; steps: readonly LessonStep[] }) {
  const { total, done, shown, finished } = progress;
  const label = finished
    ? `Step ${total} of ${total}: complete`
    : shown
      ? `Step ${shown.number + 1} of ${total}`
      : `Not started: ${total} steps`;
  return (
    <div className="flex items-center gap-3">
      <span className="shrink-0 text-sm font-semibold tabular-nums">{label}</span>
      <div
        role="progressbar"
        aria-label="Lesson progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total} steps done`}
        className="flex h-3 min-w-0 flex-1 gap-0.5"
      >
        {steps.map((step) => {
          const state = step.number < done ? 'done' : step === shown ? 'partly' : 'todo';
          return (
            <span
              key={step.number}
              title={`Step ${step.number + 1}${step.predict ? ' (question)' : ''}`}
              className={`relative flex-1 rounded-sm ${
                state === 'done'
                  ? 'bg-teal-700 dark:bg-teal-400'
                  : state === 'partly'
                    ? 'bg-teal-400 dark:bg-teal-700'
                    : 'bg-slate-300 dark:bg-slate-700'
              } ${step.predict ? 'ring-2 ring-amber-500 ring-inset' : ''}`}
            />
          );
        })}
      </div>
      {steps.some((s) => s.predict) && (
        <span className="hidden shrink-0 items-center gap-1 text-xs text-slate-700 sm:flex dark:text-slate-300">
          <span aria-hidden="true" className="inline-block h-3 w-4 rounded-sm ring-2 ring-amber-500 ring-inset" /> a question
        </span>
      )}
    </div>
  );
}

function when(view: WorldView, at: number): string {
  return `${formatClock(view.epochSeconds + at, view.epochSeconds)} (${formatElapsed(at)})`;
}

function StepHeading({ step, total, view, prefix }: { step: LessonStep; total: number; view: WorldView; prefix?: string }) {
  return (
    <div>
      <h3 className="text-base leading-snug font-bold">
        {prefix}Step {step.number + 1} of {total}: {stepTitle(step)}
      </h3>
      <p className="text-xs text-slate-700 dark:text-slate-300">
        {step.count > 1 ? `From ${when(view, step.at)} to ${when(view, step.lastAt)}` : `At ${when(view, step.at)}`}
      </p>
    </div>
  );
}

const TONE = {
  ok: { symbol: '✓', className: 'text-green-800 dark:text-green-300', note: '' },
  bad: { symbol: '✗', className: 'text-red-800 dark:text-red-300', note: '' },
  warn: { symbol: '!', className: 'text-amber-800 dark:text-amber-300', note: ' (the attacker got what it wanted)' },
} as const;

function ResultLine({ summary }: { summary: ResultSummary }) {
  const tone = TONE[summary.tone];
  return (
    <p className="text-sm">
      <span className="font-semibold">What happened: </span>
      <span className={`font-medium ${tone.className}`}>
        <span aria-hidden="true">{tone.symbol} </span>
        {summary.text}
        {tone.note}
      </span>
    </p>
  );
}

function StepCard({
  view,
  step,
  ran,
  results,
  answer,
  total,
}: {
  view: WorldView;
  step: LessonStep;
  ran: number;
  results: readonly StepResult[];
  answer: number | undefined;
  total: number;
}) {
  const summary = summarizeResults(results);
  return (
    <div className="flex flex-col gap-2">
      <StepHeading step={step} total={total} view={view} />
      {step.narration && <p className="max-w-prose text-base leading-relaxed">{step.narration}</p>}
      {ran < step.count && (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {ran} of {step.count} times so far; Next runs the rest.
        </p>
      )}
      {summary && <ResultLine summary={summary} />}
      {step.predict && <Reveal predict={step.predict} answer={answer} />}
    </div>
  );
}

/** The answer to a question, once its step has run. */
function Reveal({ predict, answer }: { predict: Prediction; answer: number | undefined }) {
  const verdict = judge(predict, answer);
  const correct = predict.choices[predict.answer];
  const tone =
    verdict === 'right'
      ? 'border-green-700 bg-green-50 text-green-950 dark:border-green-400 dark:bg-green-950 dark:text-green-50'
      : verdict === 'wrong'
        ? 'border-amber-600 bg-amber-50 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50'
        : 'border-slate-400 bg-slate-50 text-slate-900 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-50';
  return (
    <div className={`rounded-md border-l-4 px-3 py-2 text-sm ${tone}`}>
      <p className="text-xs font-semibold text-current">The question: {predict.question}</p>
      {verdict === 'right' && (
        <p className="mt-1 font-bold">
          <span aria-hidden="true">✓ </span>Right. You predicted: “{predict.choices[answer!]}”
        </p>
      )}
      {verdict === 'wrong' && (
        <>
          <p className="mt-1 font-bold">
            <span aria-hidden="true">✗ </span>Not quite. You predicted: “{predict.choices[answer!]}”
          </p>
          <p>The answer: “{correct}”</p>
        </>
      )}
      {verdict === 'unanswered' && <p className="mt-1 font-bold">The answer: “{correct}”</p>}
      <p className="mt-1 leading-relaxed">{predict.explanation}</p>
    </div>
  );
}

function UpNext({ step, view, total, partly }: { step: LessonStep; view: WorldView; total: number; partly: boolean }) {
  return (
    <div className="rounded-md border border-dashed border-slate-400 p-3 dark:border-slate-600">
      <p className="text-xs font-bold tracking-wide text-slate-700 uppercase dark:text-slate-300">{partly ? 'Next finishes' : 'Up next'}</p>
      <StepHeading step={step} total={total} view={view} />
      <p className="mt-1 text-sm text-slate-800 dark:text-slate-200">Press Next to run it.</p>
    </div>
  );
}

function Question({
  step,
  view,
  total,
  predict,
  chosen,
  onChoose,
  nudged,
  hintId,
  fieldsetRef,
}: {
  step: LessonStep;
  view: WorldView;
  total: number;
  predict: Prediction;
  chosen: number | undefined;
  onChoose: (choice: number) => void;
  nudged: boolean;
  hintId: string;
  fieldsetRef: RefObject<HTMLFieldSetElement | null>;
}) {
  const name = useId();
  return (
    <div className="rounded-md border-2 border-amber-500 bg-amber-50/60 p-3 dark:border-amber-400 dark:bg-slate-950">
      <p className="text-xs font-bold tracking-wide text-amber-900 uppercase dark:text-amber-200">Predict before the next step</p>
      <StepHeading step={step} total={total} view={view} />
      <fieldset ref={fieldsetRef} className="mt-2">
        <legend className="text-base font-semibold">{predict.question}</legend>
        <div className="mt-2 flex flex-col gap-1.5">
          {predict.choices.map((choice, i) => (
            <label
              key={i}
              className={`flex cursor-pointer items-start gap-2 rounded-md border px-2 py-1.5 text-sm ${
                chosen === i
                  ? 'border-teal-700 bg-white font-semibold dark:border-teal-400 dark:bg-slate-900'
                  : 'border-slate-300 bg-white hover:border-slate-500 dark:border-slate-700 dark:bg-slate-900'
              }`}
            >
              <input
                type="radio"
                name={name}
                value={i}
                checked={chosen === i}
                onChange={() => onChoose(i)}
                aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
                className="mt-0.5 accent-teal-700"
              />
              <span>
                <span aria-hidden="true" className="mr-1 font-mono text-xs font-bold text-slate-700 dark:text-slate-300">
                  {i + 1}
                </span>
                {choice}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <p
        id={hintId}
        className={`mt-2 text-sm ${nudged && chosen === undefined ? 'font-bold text-amber-950 dark:text-amber-100' : 'text-slate-800 dark:text-slate-200'}`}
      >
        {chosen === undefined
          ? nudged
            ? `Choose an answer first (keys 1–${predict.choices.length}): Next runs the step once you have predicted.`
            : `Choose an answer (keys 1–${predict.choices.length}), then press Next: running the step shows whether you were right.`
          : 'Run the step to see: press Next.'}
      </p>
    </div>
  );
}

function Complete({
  view,
  steps,
  answers,
  onBack,
  onExplore,
  headingRef,
}: {
  view: WorldView;
  steps: readonly LessonStep[];
  answers: Readonly<Record<number, number>>;
  onBack: () => void;
  onExplore: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  // Every occurrence has run: the score counts every prediction of the lesson.
  const { right, asked } = score(steps, occurrenceCount(steps), answers);
  const { metrics } = view;
  return (
    <div className="flex flex-col gap-2 rounded-md border-2 border-teal-700 bg-teal-50 p-3 dark:border-teal-400 dark:bg-teal-950">
      <h3 ref={headingRef} tabIndex={-1} className="text-lg font-bold">
        <span aria-hidden="true">★ </span>Lesson complete
      </h3>
      {asked > 0 && (
        <p className="text-sm">
          You predicted {right} of {asked} {asked === 1 ? 'outcome' : 'outcomes'} right.
        </p>
      )}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
        <dt className="text-slate-700 dark:text-slate-300">The attacker had access for</dt>
        <dd className="font-semibold tabular-nums">{formatSpan(metrics.attacker.exposureSeconds)}</dd>
        <dt className="text-slate-700 dark:text-slate-300">Attacker’s successful API calls</dt>
        <dd className="font-semibold tabular-nums">{metrics.attacker.apiCallsOk}</dd>
        <dt className="text-slate-700 dark:text-slate-300">Password prompts for Alice</dt>
        <dd className="font-semibold tabular-nums">{metrics.user.passwordPrompts}</dd>
        <dt className="text-slate-700 dark:text-slate-300">Requests to the authorization server</dt>
        <dd className="font-semibold tabular-nums">{metrics.authServer.tokenRequests}</dd>
      </dl>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={onBack}
          className="rounded-md bg-teal-800 px-3 py-1.5 text-sm font-bold text-white hover:bg-teal-900 dark:bg-teal-700 dark:hover:bg-teal-600"
        >
          Choose another lesson
        </button>
        <button
          type="button"
          onClick={onExplore}
          className={secondaryButton}
          title="An empty sandbox with this lesson’s settings; your sandbox so far is kept under Branches"
        >
          Keep exploring in the sandbox
        </button>
      </div>
    </div>
  );
}
