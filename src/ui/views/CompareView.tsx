import type { PlaybackControls } from './SimulatorView';

export function CompareView(_props: PlaybackControls) {
  return <p>Compare</p>;
}
