/** How many messages a queue holds, as the queue service estimates them. */
export interface QueueDepth {
  /** Ready to be received. */
  visible: number;
  /** Received by a consumer and not yet deleted or returned. */
  inFlight: number;
  delayed: number;
}

export interface QueueDepthReader {
  /** The queue's current (approximate) depth. */
  depth(queueUrl: string): Promise<QueueDepth>;
}

export const QUEUE_DEPTH_READER = Symbol.for('QueueDepthReader');
