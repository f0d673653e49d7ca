/** The case workflows' types, derived from the schemas in domain/case.ts. Types only: no runtime code. */
export type {
  AcceptRepairInput,
  Actor,
  CaseKind,
  CaseState,
  CaseStatus,
  DecideObjectionInput,
  DecideRepairInput,
  Evidence,
  ExtendInput,
  ObjectionInput,
  RepairInput,
  StageRule,
  TimelineItem,
} from '../domain/case';
