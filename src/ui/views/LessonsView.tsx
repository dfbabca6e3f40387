import type { PlaybackControls } from './SimulatorView';
import { SimulatorView } from './SimulatorView';

export function LessonsView(props: PlaybackControls & { onExplore: () => void }) {
  const { onExplore: _onExplore, ...controls } = props;
  return <SimulatorView {...controls} />;
}
