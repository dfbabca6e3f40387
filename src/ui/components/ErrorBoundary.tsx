// A rendering error shows a recoverable message instead of a blank page. The simulation lives in
// the store, outside the React tree, so "Try again" redraws with the user's state intact.
import { Component, type ErrorInfo, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode; label: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`tokenscope: the ${this.props.label} failed to draw`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="rounded-lg border-2 border-red-700 bg-red-50 p-3 text-red-950 dark:bg-red-950 dark:text-red-50">
        <p className="font-semibold">The {this.props.label} could not be drawn.</p>
        <p className="text-sm">Your simulation is safe; nothing was lost. ({this.state.error.message})</p>
        <button
          type="button"
          className="mt-2 rounded border border-red-800 bg-white px-2 py-1 text-sm text-red-900"
          onClick={() => this.setState({ error: null })}
        >
          Try again
        </button>
      </div>
    );
  }
}
