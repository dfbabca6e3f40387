// Guided lessons: a picker, then the chosen lesson's bar above the simulator. The lesson runs
// in the main simulator store, so "Explore from here" only has to detach the script: the world,
// its clock and its tokens carry on in the sandbox untouched. Where the lesson stands is derived
// from the world (how many step occurrences have run), so the clock bar's Step back, Play and
// jumps move the lesson too.
import { useEffect, useMemo, useRef, useState } from 'react';
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
import { isTypingTarget } from '../shortcuts';
import { useSim, useSimStore } from '../SimContext';
import type { PlaybackControls } from './SimulatorView';
import { SimulatorView } from './SimulatorView';

/** The last lesson's predictions, kept while the view is away (switching to the sandbox and back). */
let rememberedAnswers: { id: string; answers: Record<number, number> } | null = null;

/** Parsed once: the lesson files are part of the app. */
let catalogCache: LessonEntry[] | null = null;
function catalog(): LessonEntry[] {
  catalogCache ??= lessonCatalog();
  return catalogCache;
}

export function LessonsView(
  props: PlaybackControls & {
    onExplore: () => void;
    /** A link's lesson (#lesson=<id>), started once the view opens. */
    startLessonId?: string | undefined;
    /** Show the loaded lesson at once, if the session is one (an embedded share link). */
    resumeLoaded?: boolean | undefined;
  },
) {
  const { onExplore, startLessonId, resumeLoaded, ...controls } = props;
  const { setPlaying } = controls;
  const store = useSimStore();
  const view = useSim((s) => s.view);
  const lessons = catalog();

  const [activeId, setActiveId] = useState<string | null>(null);
  /** The learner's predictions, by lesson step number; kept per run of a lesson. */
  const [answers, setAnswers] = useState<Record<number, number>>({});
  useEffect(() => {
    if (activeId) rememberedAnswers = { id: activeId, answers };
  }, [activeId, answers]);
  const [runKey, setRunKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [nudged, setNudged] = useState(false);
  const [starting, setStarting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busyRef = useRef(false);
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
  const active = activeId ? (lessons.find((l) => l.id === activeId) ?? null) : null;
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
    element.focus();
  });

  /** `fromLink`: opened by a #lesson= link, so the focus stays put and the session it replaces is kept under Branches. */
  const start = async (lesson: LessonEntry, { fromLink = false }: { fromLink?: boolean } = {}) => {
    setPlaying(false);
    setError(null);
    setStarting(lesson.id);
    try {
      if (fromLink) await store.getState().open(lesson.scenario, [], 'Your session before opening a lesson link');
      else await store.getState().load(lesson.scenario);
      setAnswers({});
      setNudged(false);
      setRunKey((k) => k + 1);
      setActiveId(lesson.id);
      if (!fromLink) focusAfter.current = 'lesson';
    } catch (e) {
      setError(`The lesson could not be started: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setStarting(null);
    }
  };

  const next = async () => {
    if (busyRef.current) return;
    const current = store.getState().view;
    if (!current) return;
    const now = lessonProgress(steps, current.state.logs.steps);
    if (!now.next || !scriptAttached(current)) return;
    if (pendingQuestion(now) && answers[now.next.number] === undefined) {
      // Answer first: take the learner to the question.
      setNudged(true);
      const radios = questionRef.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]');
      radios?.[0]?.focus();
      return;
    }
    // The question disappears once its step runs: keep a keyboard user's place on Next.
    const fromQuestion = questionRef.current?.contains(document.activeElement) ?? false;
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
    if (after && lessonProgress(steps, after.state.logs.steps).finished) focusAfter.current = 'complete';
    else if (fromQuestion) focusAfter.current = 'next';
  };

  const previous = async () => {
    if (busyRef.current) return;
    const current = store.getState().view;
    if (!current) return;
    const target = lessonProgress(steps, current.state.logs.steps).previousTarget;
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
    setAnswers({});
    setNudged(false);
    setRunKey((k) => k + 1);
    focusAfter.current = 'lesson';
  };

  const explore = async () => {
    if (busyRef.current) return;
    setPlaying(false);
    await store.getState().detachScript();
    onExplore();
  };

  // A link's lesson (or, in an embed, the shared lesson session): opened once, when the world is ready.
  const opened = useRef(false);
  const startRef = useRef(start);
  useEffect(() => {
    startRef.current = start;
  });
  useEffect(() => {
    if (opened.current || !view || (!startLessonId && !resumeLoaded)) return;
    opened.current = true;
    if (startLessonId) {
      const lesson = lessons.find((l) => l.id === startLessonId);
      // Opened by a link: the focus stays where the page put it (an embed taking it would scroll its host page).
      if (lesson) void startRef.current(lesson, { fromLink: true });
      else setError(`The link names a lesson this version of tokenscope does not have (“${startLessonId}”). Pick one below.`);
    } else if (loadedLesson && attached) {
      setActiveId(loadedLesson.id);
    }
  }, [view, startLessonId, resumeLoaded, lessons, loadedLesson, attached]);

  const back = () => {
    setActiveId(null);
    focusAfter.current = 'picker';
  };

  // N and Page Down: next step; Page Up: previous step (presentation clickers send these). Space
  // and the arrow keys stay with the clock's shortcuts.
  const keys = useRef({ next, previous });
  useEffect(() => {
    keys.current = { next, previous };
  });
  const lessonOpen = active !== null;
  useEffect(() => {
    if (!lessonOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      if (event.key === 'n' || event.key === 'N' || event.key === 'PageDown') {
        event.preventDefault();
        void keys.current.next();
      } else if (event.key === 'PageUp') {
        event.preventDefault();
        void keys.current.previous();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
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
          setAnswers(rememberedAnswers?.id === resumable.lesson.id ? rememberedAnswers.answers : {});
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

  return (
    <div className="flex flex-col gap-3">
      <LessonPanel
        key={`${active.id}:${runKey}`}
        view={view}
        steps={steps}
        progress={progress}
        results={results}
        answers={answers}
        onAnswer={(step, choice) => {
          setAnswers((a) => ({ ...a, [step]: choice }));
          setNudged(false);
        }}
        nudged={nudged}
        busy={busy}
        warning={warning}
        attached={attached}
        onNext={() => void next()}
        onPrevious={() => void previous()}
        onRestart={() => void restart()}
        onExplore={() => void explore()}
        onBack={back}
        headingRef={lessonHeadingRef}
        questionRef={questionRef}
        completeRef={completeRef}
        nextRef={nextRef}
      />
      <SimulatorView {...controls} />
    </div>
  );
}
