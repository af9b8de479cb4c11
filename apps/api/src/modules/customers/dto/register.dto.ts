import { EmailField, PasswordField, RequiredText } from '#platform';

/** Exactly these fields: anything else (`roles`, `status`) is refused, not ignored. */
export class RegisterDto {
  @EmailField('Trimmed and lower-cased; unique') email!: string;
  @PasswordField() password!: string;
  @RequiredText(100, 'Ada Lovelace') name!: string;
}
