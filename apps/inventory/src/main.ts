// First, before anything it instruments is loaded.
import './instrument';
import { runService } from '@shop/platform';
import { AppModule } from './app/app.module';

void runService(AppModule);
