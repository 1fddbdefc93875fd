import type { Discovery } from './create-discovery.js';
import type { KubeTransport } from './create-kube-transport.js';

/** What every cluster operation needs: the transport, discovery and Slipway's field manager. */
export interface ClusterContext {
  transport: KubeTransport;
  discovery: Discovery;
  /** Server-side apply field manager; `slipway` unless a test says otherwise. */
  fieldManager: string;
}
