export { deadlineTimer, placeholderActors } from './actors.ts';
export { examinerMachine, MACHINE_VERSION } from './machine.ts';
export * from './types.ts';
export * from './views.ts';
