import { useEffect } from 'react';
import { host } from '../api/connection';
import { runAction } from '../actions/registry';
import { setHost } from '../state/store';

/** Tracks the connection to the host, reads its version, and runs the native menu's commands. */
export function useHostConnection(): void {
  useEffect(() => {
    const api = host();
    let cancelled = false;
    const offStatus = api.onStatus((status) => {
      setHost({ status });
      if (status === 'connected') {
        api
          .invoke('app.version', {})
          .then((v) => !cancelled && setHost({ version: v.version, mode: v.mode }))
          .catch(() => !cancelled && setHost({ version: null }));
      }
    });
    const offMenu = api.on('menu.command', ({ command }) => void runAction(command));
    return () => {
      cancelled = true;
      offStatus();
      offMenu();
    };
  }, []);
}
