import { Logger } from '@nestjs/common';

// Failure paths are the point of these tests and log loudly; TEST_VERBOSE=1 shows them.
Logger.overrideLogger(process.env['TEST_VERBOSE'] ? ['log', 'warn', 'error'] : false);
