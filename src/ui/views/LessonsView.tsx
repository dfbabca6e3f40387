// Guided lessons: a picker, then the chosen lesson's bar above the simulator. The lesson runs in
// its own store (boot.ts lessonStore), never in the sandbox's: "Explore from here" copies the
// lesson's moment into the sandbox with its script left (App.tsx), "Keep exploring" starts an empty
// sandbox with the lesson's settings. Where the lesson stands is derived from the world (how many
// step occurrences have run), so the clock bar's Step back, Play and jumps move the lesson too.
// Which lesson is open and the learner's predictions are kept in the preferences (a reload keeps
// them). While a question is open the simulator is veiled and the clock keys do nothing, so the
// decisive step has neither run nor shown before the learner answers.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { LessonPanel } from '../components/LessonPanel';
import { LessonPicker, type ResumableLesson } from '../components/LessonPicker';
import {
  backToStep,
  lessonCatalog,
  lessonProgress,
  lessonSteps,
  pendingQuestion,
  runThroughStep,
  scenarioKey,
  scriptAttached,
  type LessonEntry,
} from '../lessons';
import type { Scenario } from '../../sim/types';
import { isTypingTarget } from '../shortcuts';
import { useSim, useSimStore } from '../SimContext';
import type { PlaybackControls } from './SimulatorView';
import { SimulatorView, type SimulatorParts } from './SimulatorView';

/** Parsed once: the lesson files are part of the app. */
let catalogCache: LessonEntry[] | null = null;
function catalog(): LessonEntry[] {
  catalogCache ??= lessonCatalog();
  return catalogCache;
}

/** Keys that move the clock: while a question is open they would run the decisive step unasked. */
const CLOCK_KEYS = new Set([' ', 'ArrowRight', '1', '2', '3', '4', '5', 'e', 'E']);

export function LessonsView(
  props: PlaybackControls & {
    /** The saved lesson (if any) has been restored: until then the view waits. */
    ready: boolean;
    /** Start the first lesson as soon as the view is ready (the welcome's offer). */
    startFirst?: boolean;
    onStartedFirst?: () => void;
    onExplore: () => void;
    /** Leaves for an empty sandbox with these settings (the lesson's). */
    onKeepExploring: (scenario: Scenario) => void;
    /** A link's lesson (#lesson=<id>), started once the view opens. */
    startLessonId?: string | undefined;
    /** Show the loaded lesson at once, if the session is one (an embedded share link). */
    resumeLoaded?: boolean | undefined;
  },
) {
  const { onExplore, onKeepExploring, ready, startFirst = false, onStartedFirst, startLessonId, resumeLoaded, ...controls } = props;
  const { setPlaying, preferences, updatePreferences } = controls;
  const store = useSimStore();
  const view = useSim((s) => s.view);
  const lessons = catalog();

  // The open lesson and the learner's predictions (by lesson step number) live in the preferences.
  const saved = preferences.lesson;
  const activeId = saved?.open ? saved.id : null;
  const answers = useMemo(() => saved?.answers ?? {}, [saved]);
  const setActiveId = (id: string | null) => {
    if (id === null) updatePreferences({ lesson: saved ? { ...saved, open: false } : null });
    else updatePreferences({ lesson: { id, answers: saved?.id === id ? saved.answers : {}, open: true } });
  };
  const setAnswers = (next: Record<number, number>) => {
    if (saved) updatePreferences({ lesson: { ...saved, answers: next } });
  };
  const [runKey, setRunKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [nudged, setNudged] = useState(false);
  const [starting, setStarting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busyRef = useRef(false);
  /** The lesson being started (its world built in the engine), if any. */
  const startingRef = useRef<Promise<void> | null>(null);
  const lessonHeadingRef = useRef<HTMLHeadingElement | null>(null);
  const pickerHeadingRef = useRef<HTMLHeadingElement | null>(null);
  const questionRef = useRef<HTMLFieldSetElement | null>(null);
  const completeRef = useRef<HTMLHeadingElement | null>(null);
  const nextRef = useRef<HTMLButtonElement | null>(null);
  /** Where focus should go after the next render: set by commands, used by the effect below. */
  const focusAfter = useRef<'lesson' | 'picker' | 'complete' | 'next' | null>(null);

  const scenario = view?.scenario ?? null;
  const steps = useMemo(() => (scenario ? lessonSteps(scenario) : []), [scenario]);
  const loadedKey = useMemo(() => (scenario ? scenarioKey(scenario) : null), [scenario]);
  const completed = view?.state.logs.steps ?? 0;
  const progress = lessonProgress(steps, completed);
  // A saved lesson whose world could not be restored (nothing loaded once ready) shows the list.
  const active = activeId && (view || !ready) ? (lessons.find((l) => l.id === activeId) ?? null) : null;
  const loadedLesson = loadedKey ? (lessons.find((l) => scenarioKey(l.scenario) === loadedKey) ?? null) : null;
  const attached = view ? scriptAttached(view) : false;

  // The step results up to the view's moment (the first `completed` entries belong to it).
  const results = useMemo(() => (view ? view.results.slice(0, view.state.logs.steps) : []), [view]);

  useEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    const element = { lesson: lessonHeadingRef, picker: pickerHeadingRef, complete: completeRef, next: nextRef }[target].current;
    if (!element) return; // not drawn yet: try again after the next render
    focusAfter.current = null;
    // Next stays where it is (in presenter mode, pinned at the foot of the lesson text): no scrolling to it.
    element.focus({ preventScroll: target === 'next' });
  });

  /** `fromLink`: opened by a #lesson= link, so the focus stays put. */
  const start = (lesson: LessonEntry, options: { fromLink?: boolean } = {}): Promise<void> => {
    const started = startNow(lesson, options);
    startingRef.current = started;
    return started;
  };
  const startNow = async (lesson: LessonEntry, { fromLink = false }: { fromLink?: boolean } = {}) => {
    setPlaying(false);
    setError(null);
    setStarting(lesson.id);
    try {
      // Lessons have their own world: the sandbox's session is untouched, whichever way a lesson starts.
      await store.getState().load(lesson.scenario);
      updatePreferences({ lesson: { id: lesson.id, answers: {}, open: true } });
      setNudged(false);
      setRunKey((k) => k + 1);
      if (!fromLink) focusAfter.current = 'lesson';
    } catch (e) {
      setError(`The lesson could not be started: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setStarting(null);
    }
  };

  const next = async () => {
    // A press made while the lesson's world is still being built is for that lesson: wait for it.
    await startingRef.current;
    if (busyRef.current) return;
    const current = store.getState().view;
    if (!current) return;
    // The steps of the world as it is now, not of this render: a press that comes right after the
    // lesson's world arrived, before React drew it, must not be read against the previous world.
    const now = lessonProgress(lessonSteps(current.scenario), current.state.logs.steps);
    if (!now.next || !scriptAttached(current)) return;
    if (pendingQuestion(now) && answers[now.next.number] === undefined) {
      // Answer first: take the learner to the question (and drop a pending move of the focus to
      // Next from the step before, which would otherwise take it back on the next render).
      focusAfter.current = null;
      setNudged(true);
      const radios = questionRef.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]');
      radios?.[0]?.focus();
      return;
    }
    setPlaying(false);
    busyRef.current = true;
    setBusy(true);
    try {
      await runThroughStep(store, now.next);
    } finally {
      busyRef.current = false;
      setBusy(false);
      setNudged(false);
    }
    const after = store.getState().view;
    // Focus stays in the lesson, on Next (never left on a control that went away, or on the page,
    // where Tab would go on to the clock's speed slider).
    if (after && lessonProgress(lessonSteps(after.scenario), after.state.logs.steps).finished) focusAfter.current = 'complete';
    else focusAfter.current = 'next';
  };

  const previous = async () => {
    if (busyRef.current) return;
    const current = store.getState().view;
    if (!current) return;
    const target = lessonProgress(lessonSteps(current.scenario), current.state.logs.steps).previousTarget;
    if (target === null) return;
    setPlaying(false);
    busyRef.current = true;
    setBusy(true);
    try {
      await backToStep(store, target);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const restart = async () => {
    if (!active || busyRef.current) return;
    setPlaying(false);
    await store.getState().load(active.scenario);
    updatePreferences({ lesson: { id: active.id, answers: {}, open: true } });
    setNudged(false);
    setRunKey((k) => k + 1);
    focusAfter.current = 'lesson';
  };

  const explore = () => {
    if (busyRef.current) return;
    setPlaying(false);
    onExplore();
  };

  // A link's lesson (or, in an embed, the shared lesson session): opened once, when the world is ready.
  const opened = useRef(false);
  const startRef = useRef(start);
  useEffect(() => {
    startRef.current = start;
  });
  // The welcome's offer: the first lesson.
  useEffect(() => {
    if (!startFirst || !ready || !lessons[0]) return;
    onStartedFirst?.();
    void startRef.current(lessons[0]);
  }, [startFirst, ready, lessons, onStartedFirst]);
  useEffect(() => {
    // A lesson to start needs only the view ready; a shared session to resume needs its world.
    if (opened.current || !ready || (!startLessonId && !resumeLoaded) || (!startLessonId && !view)) return;
    opened.current = true;
    if (startLessonId) {
      const lesson = lessons.find((l) => l.id === startLessonId);
      // Opened by a link: the focus stays where the page put it (an embed taking it would scroll its host page).
      if (lesson) void startRef.current(lesson, { fromLink: true });
      else setError(`The link names a lesson this version of tokenscope does not have (“${startLessonId}”). Pick one below.`);
    } else if (loadedLesson && attached) {
      setActiveId(loadedLesson.id);
    }
  }, [view, ready, startLessonId, resumeLoaded, lessons, loadedLesson, attached]); // eslint-disable-line react-hooks/exhaustive-deps -- setActiveId writes the preferences; this runs once

  const back = () => {
    setActiveId(null);
    focusAfter.current = 'picker';
  };

  // The open question (if any): while it is open the simulator is veiled and the clock keys are held.
  const question = active && attached ? pendingQuestion(progress) : null;
  const choose = (choice: number) => {
    const step = progress.next;
    if (!question || !step || choice >= question.choices.length) return;
    setAnswers({ ...answers, [step.number]: choice });
    setNudged(false);
    questionRef.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]')[choice]?.focus();
  };
  const openLesson = (index: number) => {
    const lesson = lessons[index];
    if (lesson && !busyRef.current) void start(lesson);
  };
  const activeIndex = active ? lessons.indexOf(active) : -1;

  // Keys, in the capture phase so they come before the clock's (App.tsx): N and Page Down next
  // step, Page Up previous step (presentation clickers send these); 1–4 answer an open question
  // (the arrows move within it, as in any radio group); L the lesson list; [ and ] the previous
  // and next lesson; in the list, 1–9 and 0 start lessons 1–10. While a question is open, or the
  // list is shown, the keys that move the clock do nothing.
  const keys = useRef({ next, previous, choose, openLesson, back, question, activeIndex });
  // Layout effects: the keys follow the lesson bar in the same frame it is drawn, so a key pressed
  // as soon as a started lesson shows is not read by the handler of the list before it.
  useLayoutEffect(() => {
    keys.current = { next, previous, choose, openLesson, back, question, activeIndex };
  });
  const lessonOpen = active !== null;
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const k = keys.current;
      const key = event.key;
      const handled = (run: () => void) => {
        event.preventDefault();
        run();
      };
      // Native behaviour of a focused control: Space presses a button, arrows move within a radio group.
      const onControl = event.target instanceof HTMLElement && ['BUTTON', 'A', 'INPUT', 'SUMMARY'].includes(event.target.tagName);
      if (!lessonOpen) {
        if (/^[0-9]$/.test(key)) handled(() => k.openLesson(key === '0' ? 9 : Number(key) - 1));
        else if (key === ']') handled(() => k.openLesson(0));
        else if ((CLOCK_KEYS.has(key) || key === 'ArrowLeft' || key === 'PageUp' || key === 'PageDown') && !onControl)
          event.preventDefault();
        return;
      }
      // While a step runs, the clock keys would race it (and the question after it): held too.
      if (busyRef.current && CLOCK_KEYS.has(key) && !onControl) {
        event.preventDefault();
        return;
      }
      if (key === 'n' || key === 'N' || key === 'PageDown') handled(() => void k.next());
      else if (key === 'PageUp') handled(() => void k.previous());
      else if (key === 'l' || key === 'L') handled(k.back);
      else if (key === ']') handled(() => k.openLesson(k.activeIndex + 1));
      else if (key === '[') handled(() => k.openLesson(k.activeIndex - 1));
      else if (k.question && /^[1-9]$/.test(key)) handled(() => k.choose(Number(key) - 1));
      else if (k.question && CLOCK_KEYS.has(key) && !(onControl && (key === ' ' || key.startsWith('Arrow')))) event.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [lessonOpen]);

  if (!active) {
    const resumable: ResumableLesson | null =
      loadedLesson && attached && completed > 0
        ? {
            lesson: loadedLesson,
            where: progress.finished ? 'finished' : `step ${(progress.shown?.number ?? 0) + 1} of ${progress.total}`,
          }
        : null;
    return (
      <LessonPicker
        lessons={lessons}
        resumable={resumable}
        starting={starting}
        error={error}
        headingRef={pickerHeadingRef}
        onStart={(lesson) => void start(lesson)}
        onResume={() => {
          if (!resumable) return;
          setRunKey((k) => k + 1);
          setActiveId(resumable.lesson.id);
          focusAfter.current = 'lesson';
        }}
      />
    );
  }

  if (!view) return <SimulatorView {...controls} />;

  const warning = !attached
    ? 'This run has left the lesson’s script, so Next has nothing more to run. Restart the lesson to follow it again.'
    : loadedKey !== scenarioKey(active.scenario)
      ? 'The settings were changed since the lesson started, so the answers to its questions may no longer hold. Restart to go back to the lesson as written.'
      : null;

  const panel = (
    <LessonPanel
      key={`${active.id}:${runKey}`}
      view={view}
      steps={steps}
      progress={progress}
      results={results}
      answers={answers}
      onAnswer={(step, choice) => {
        setAnswers({ ...answers, [step]: choice });
        setNudged(false);
      }}
      nudged={nudged}
      busy={busy}
      warning={warning}
      attached={attached}
      onNext={() => void next()}
      onPrevious={() => void previous()}
      onRestart={() => void restart()}
      onExplore={explore}
      onKeepExploring={() => onKeepExploring(view.scenario)}
      onBack={back}
      headingRef={lessonHeadingRef}
      questionRef={questionRef}
      completeRef={completeRef}
      nextRef={nextRef}
    />
  );
  const presenter = preferences.presenter;
  return (
    <div className="flex flex-col gap-3">
      {!presenter && panel}
      <SimulatorView
        {...controls}
        caption={false}
        frame={(parts) => <LessonFrame parts={parts} stage={presenter ? panel : null} veil={question ? VEIL : null} />}
      />
    </div>
  );
}

const VEIL =
  'Hidden while you predict: the parties, the clock’s controls, the diagram and the narration could give the answer away. Answer the lesson’s question first, then press Next to see what happens.';

/**
 * The simulator under a lesson. While a question is open (`veil`), everything is inert and
 * blurred, with a note saying why; in presenter mode (`stage`) the lesson panel sits beside the
 * four parties (compact: no action buttons, the lesson drives them) so both share one screen,
 * and the clock follows below.
 */
function LessonFrame({ parts, stage, veil }: { parts: SimulatorParts; stage: ReactNode; veil: string | null }) {
  const { clock, parties, rest } = parts;
  const veiled = veil !== null;
  // Inert and blurred while veiled; otherwise the wrapper takes no box of its own.
  const cover = (children: ReactNode) => (
    <div className={veiled ? 'veiled flex min-w-0 flex-col gap-3' : 'contents'} inert={veiled} aria-hidden={veiled || undefined}>
      {children}
    </div>
  );
  const note = veiled && (
    <div
      role="note"
      className="absolute inset-x-4 top-16 z-20 mx-auto max-w-3xl rounded-lg border-2 border-amber-500 bg-amber-50 px-4 py-3 text-base font-medium text-amber-950 shadow-lg dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
    >
      {veil}
    </div>
  );
  return (
    <>
      {stage ? (
        <div className="lesson-stage grid grid-cols-1 items-start gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,1.15fr)]">
          <div className="lesson-stage-text min-w-0">{stage}</div>
          <div className="party-compact relative min-w-0">
            {note}
            {cover(parties('sm:grid-cols-2'))}
          </div>
        </div>
      ) : (
        <>
          {note}
          {cover(
            <>
              {clock}
              {parties('md:grid-cols-2 xl:grid-cols-4')}
            </>,
          )}
        </>
      )}
      {cover(
        <>
          {stage && clock}
          {rest}
        </>,
      )}
    </>
  );
}
