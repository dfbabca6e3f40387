// React binding of a store instance: a context carries the instance, so two simulators (the
// compare view) can live on one page, each with its own world.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { SimCommands, SimState, SimStore } from './store';

const SimContext = createContext<SimStore | null>(null);

export function SimProvider({ store, children }: { store: SimStore; children: ReactNode }) {
  return <SimContext.Provider value={store}>{children}</SimContext.Provider>;
}

export function useSimStore(): SimStore {
  const store = useContext(SimContext);
  if (!store) throw new Error('useSim must be used inside <SimProvider>');
  return store;
}

export function useSim<T>(selector: (state: SimState & SimCommands) => T): T {
  return useStore(useSimStore(), selector);
}
