// The AWS SDK alone, no replicate-setup code: the CPU one call costs this process, on this machine, against this
// emulator. Run as its own process by fleet.js (usage: node sdk-alone.js ENDPOINT CALLS, the emulator's two profiles
// in the environment); prints one JSON line { calls, inFlight, cpuMsPerCall, wallMsPerCall }.
//
// A fleet's run is bound by CPU (the tool's and the emulator's, one core each), and most of the tool's share is the
// SDK's own work per call: signing, endpoint rules, the HTTP client, XML parsing. This is that share's floor: no
// engine, no plan, no output. One read (GetBucketVersioning, signed, XML answer) stands for every call.
import { CreateBucketCommand, GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';

const IN_FLIGHT = 8;
const WARM_UP = 50;

const [endpoint, callsArg] = process.argv.slice(2);
const calls = Number(callsArg);
if (!endpoint || !(calls > 0)) {
  process.stderr.write('usage: node sdk-alone.js ENDPOINT CALLS\n');
  process.exit(2);
}

const region = 'ap-southeast-1';
const s3 = new S3Client({ profile: 'xyz', region, endpoint, forcePathStyle: true });
const bucket = `bench-sdk-alone-${process.pid}`;
await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region } }));

const read = () => s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
async function inFlight(count) {
  let started = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (started++ < count) await read();
    }),
  );
}

await inFlight(WARM_UP);
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
await inFlight(calls);
const cpu = process.cpuUsage(cpuBefore);
const wallMs = performance.now() - wallBefore;
s3.destroy();
const perCall = (ms) => Number((ms / calls).toFixed(2));
process.stdout.write(
  `${JSON.stringify({ calls, inFlight: IN_FLIGHT, cpuMsPerCall: perCall((cpu.user + cpu.system) / 1000), wallMsPerCall: perCall(wallMs) })}\n`,
);
