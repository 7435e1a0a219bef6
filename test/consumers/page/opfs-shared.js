// A SharedWorker of the fixture app: no sync access handles in any engine, so OpfsFile takes the
// async backend. Each connecting page gets its own round trip, answered on its port.
import * as nativefile from 'nativefile';
import { roundTripMessage } from './round-trip.js';

globalThis.onconnect = (event) => {
  const [port] = event.ports;
  roundTripMessage(nativefile, 'nativefile-consumer-shared').then((message) => port.postMessage(message));
};
