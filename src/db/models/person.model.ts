import { Schema, type Connection, type Model } from 'mongoose';
import { roles } from '../../domain/index.js';

export interface PersonDoc {
  teamId: string;
  slackUserId: string;
  name: string;
  displayName: string;
  email?: string;
  department?: string;
  title?: string;
  managerSlackUserId?: string;
  roles: string[];
  timeZone?: string;
  deactivated: boolean;
  isBot?: boolean;
  profileRefreshedAt: Date;
  /** When they last opened the app's Home tab: homes nobody looks at are rebuilt when next opened instead. */
  homeOpenedAt?: Date;
}

const personSchema = new Schema<PersonDoc>(
  {
    teamId: { type: String, required: true },
    slackUserId: { type: String, required: true },
    name: { type: String, required: true },
    displayName: { type: String, required: true },
    email: String,
    department: String,
    title: String,
    managerSlackUserId: String,
    // No default: the upsert adds roles with $addToSet, which a default would conflict with.
    roles: { type: [String], enum: roles, default: undefined },
    timeZone: String,
    deactivated: { type: Boolean, default: false },
    isBot: { type: Boolean, default: false },
    profileRefreshedAt: { type: Date, required: true },
    homeOpenedAt: Date,
  },
  { collection: 'people', versionKey: false },
);

personSchema.index({ teamId: 1, slackUserId: 1 }, { unique: true });
personSchema.index({ teamId: 1, managerSlackUserId: 1 });
personSchema.index({ teamId: 1, email: 1 });
// People by role (IT staff, admins) in name order, and those of them looking at their Home lately.
personSchema.index({ teamId: 1, roles: 1, name: 1 });
personSchema.index({ teamId: 1, roles: 1, homeOpenedAt: 1 });

export type PersonModel = Model<PersonDoc>;

export function personModel(connection: Connection): PersonModel {
  return connection.models['Person'] ?? connection.model<PersonDoc>('Person', personSchema);
}
