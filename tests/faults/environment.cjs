"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: jest loads test environments untransformed */
/**
 * jsdom, plus a record of the unhandled promise rejections the worker's real `process` reports
 * while each test runs, in the test's `globalThis.__unhandledRejections` (the harness fails the
 * test on any). Jest gives a test file a copy of `process`, whose 'unhandledRejection' listeners
 * never hear anything: Node reports rejections, from any context, on the real one. The listener
 * is added at test_start, after jest-circus has installed its own handlers for the run.
 */
const { TestEnvironment } = require("jest-environment-jsdom");

class FaultEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__unhandledRejections = [];
    this.record = (reason) => this.global.__unhandledRejections.push(reason);
  }

  handleTestEvent(event, state) {
    if (event.name === "test_start") {
      this.global.__unhandledRejections.length = 0;
      process.off("unhandledRejection", this.record); // a skipped test starts but is never done
      process.on("unhandledRejection", this.record);
    } else if (event.name === "test_done" || event.name === "run_finish") {
      process.off("unhandledRejection", this.record);
    }
    return super.handleTestEvent?.(event, state);
  }

  async teardown() {
    process.off("unhandledRejection", this.record);
    await super.teardown();
  }
}

module.exports = FaultEnvironment;
