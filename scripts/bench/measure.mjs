// Figures from what the page recorded (see instrument.js): requests, rounds, rows, times.

/** Web API requests the control sent for one check: from `since` until the checklist was complete. */
export function checkRequests(fetches, since, until) {
  return fetches.filter((f) => f.start >= since && f.start <= until && !/\/w365_setups[(?]/.test(f.url));
}

/**
 * Rounds one after another: a request that starts after another one's answer has arrived is in a
 * later round than it. `roundsOf` gives each request's round (in the order given); the critical
 * path is the largest round.
 */
export function roundsOf(requests) {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const round = new Map();
  for (const r of sorted) {
    let depth = 1;
    for (const q of sorted) {
      if (q !== r && q.end !== null && q.end <= r.start) depth = Math.max(depth, (round.get(q) ?? 1) + 1);
    }
    round.set(r, depth);
  }
  return requests.map((r) => round.get(r));
}

export function rounds(requests) {
  return Math.max(0, ...roundsOf(requests));
}

/** What one check did: requests, rounds, rows read, pages followed, and the times. */
export function describeCheck(fetches, since, completion) {
  const requests = checkRequests(fetches, since, completion.at);
  const lastAnswer = Math.max(...requests.map((r) => r.end ?? -Infinity));
  return {
    requests: requests.length,
    rounds: rounds(requests),
    rows: requests.reduce((n, r) => n + (r.rows ?? 0), 0),
    nextLinks: requests.filter((r) => r.nextLink).length,
    errors: requests.filter((r) => typeof r.status !== "number" || r.status >= 400).length,
    /** Start of the check to the DOM showing the result. */
    totalMs: completion.at - since,
    /** Last answer's body arrived → DOM shows the result (reader's post-processing, evaluation, React). */
    renderMs: completion.at - lastAnswer,
    /** … → the next animation frame. */
    frameMs: completion.frameAt === null ? null : completion.frameAt - lastAnswer,
    urls: requests.map((r) => `${r.url.replace(/^\/api\/data\/v9\.\d\//, "")}`),
  };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const round1 = (n) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : n);
