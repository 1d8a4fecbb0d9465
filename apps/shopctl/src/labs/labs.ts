import { brokerOutageLab } from './broker-outage.lab';
import { crashBeforeAckLab } from './crash-before-ack.lab';
import { deadLetterReplayLab } from './dead-letter-replay.lab';
import { duplicateDeliveryLab } from './duplicate-delivery.lab';
import { Lab } from './lab';
import { poisonMessageLab } from './poison-message.lab';
import { scaleOutLab } from './scale-out.lab';
import { transientFailureLab } from './transient-failure.lab';

/** The seven labs, in the order of docs/workshop/README.md's agenda. */
export const LABS: Lab[] = [
  poisonMessageLab,
  transientFailureLab,
  crashBeforeAckLab,
  duplicateDeliveryLab,
  brokerOutageLab,
  deadLetterReplayLab,
  scaleOutLab,
];
