/**
 * @module web/api/stream
 * Live updates from the admin SSE stream (`/admin/stream`): request summaries, decisions and
 * findings updates. The browser sends the session cookie with same-origin EventSource requests.
 */
import { useEffect, useRef, useState } from 'react';
import { liveRequestOf } from './normalize.js';
import type { LiveRequest } from './types.js';

export type StreamStatus = 'connecting' | 'live' | 'offline';

export interface StreamHandlers {
  onRequest?: (r: LiveRequest) => void;
  onDecision?: (raw: unknown) => void;
  onFindings?: (raw: unknown) => void;
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/** Subscribes while mounted; returns the connection status. Handlers may change between renders. */
export function useAdminStream(handlers: StreamHandlers, enabled = true): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setStatus('offline');
      return;
    }
    const es = new EventSource('/admin/stream');
    es.onopen = () => setStatus('live');
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    es.addEventListener('request', (e) => {
      const r = liveRequestOf(parse((e as MessageEvent<string>).data));
      if (r) ref.current.onRequest?.(r);
    });
    es.addEventListener('decision', (e) => ref.current.onDecision?.(parse((e as MessageEvent<string>).data)));
    es.addEventListener('findings', (e) => ref.current.onFindings?.(parse((e as MessageEvent<string>).data)));
    return () => es.close();
  }, [enabled]);

  return status;
}
