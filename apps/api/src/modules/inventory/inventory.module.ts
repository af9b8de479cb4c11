import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INVENTORY_API } from '#contracts';
import { InventoryAdminController } from './inventory-admin.controller.js';
import { InventoryFacade } from './inventory.facade.js';
import { ReservationExpiryProcessor } from './jobs/reservation-expiry.processor.js';
import { RESERVATION_EXPIRY_QUEUE } from './jobs/reservation-expiry.queue.js';
import { ReservationExpiryScheduler } from './jobs/reservation-expiry.scheduler.js';
import { Movement } from './movement.entity.js';
import { Reservation, ReservationLine } from './reservation.entity.js';
import { ReservationsRepository } from './reservations.repository.js';
import { ReservationsService } from './reservations.service.js';
import { StockLevel } from './stock-level.entity.js';
import { StockRepository } from './stock.repository.js';
import { StockService } from './stock.service.js';

/** Stock per SKU and location, reservations with a TTL, and the movement audit. Exports only INVENTORY_API. */
@Module({
  imports: [TypeOrmModule.forFeature([StockLevel, Reservation, ReservationLine, Movement]), BullModule.registerQueue({ name: RESERVATION_EXPIRY_QUEUE })],
  controllers: [InventoryAdminController],
  providers: [
    StockRepository,
    ReservationsRepository,
    StockService,
    ReservationsService,
    ReservationExpiryScheduler,
    ReservationExpiryProcessor,
    { provide: INVENTORY_API, useClass: InventoryFacade },
  ],
  exports: [INVENTORY_API],
})
export class InventoryModule {}
