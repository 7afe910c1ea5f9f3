/**
 * The simulated Defender for Cloud Apps tenant (`siem-agent simulate`, the demo, the tests
 * and the benchmarks): a loopback HTTP server that answers like the REST API of SPEC §2,
 * with records derived on demand from a seed, so a million of them cost no memory.
 */

export {createSimulator, type Faults, type SimRoute, type Simulator, type SimulatorOptions, type SimulatorStats} from './simulator.ts';
export {runSimulate, simulateFlags, simulateHelp, simulatorOptions, type SimulateFlags, type SimulateIo} from './command.ts';
export {scanCursorField, pageLimit, scanLimits, alertsMax} from './query.ts';
