// A dedicated worker of the fixture app: the package as a consumer's worker imports it. Here
// OpfsFile can use a sync access handle (Chromium, Firefox), so the round trip is synchronous.
import * as nativefile from 'nativefile';
import { roundTripMessage } from './round-trip.js';

roundTripMessage(nativefile, 'nativefile-consumer-worker').then((message) => postMessage(message));
