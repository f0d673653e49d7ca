/**
 * The Update a running listing answers when the office publishes a measures list edition with
 * re-matching, or suspends a measure city-wide (sent by workflows/rematch.ts, update id = the change's
 * key). The handler re-matches once per key and answers with what it added and lifted.
 */
import { defineUpdate } from '@temporalio/workflow';

export interface RematchInput {
  /**
   * `edition:<departmentId>:<number>`, `suspension:<measureId>[:<round>]` or
   * `suspension-lifted:<measureId>:<round>`: applied once per listing.
   */
  key: string;
  reason: 'edition_published' | 'measure_suspended' | 'suspension_lifted';
  /** The published edition (reason edition_published) or the suspended (or restored) measure and why. */
  editionId?: string;
  measureId?: string;
  note?: string;
}

export interface DepartmentChange {
  departmentId: string;
  /** Measures the department's task gained, and those lifted from it. */
  added: string[];
  lifted: string[];
  /** The task is new (or taken up again), or lifted as a whole. */
  task: 'assigned' | 'changed' | 'lifted';
}

export interface RematchResult {
  /** false: this key had been applied before (a retried or repeated update). */
  applied: boolean;
  changes: DepartmentChange[];
}

export const rematchUpdate = defineUpdate<RematchResult, [RematchInput]>('rematch');
