import { createHash } from 'node:crypto';
import { DefaultNamingStrategy, NamingStrategyInterface, Table, View } from 'typeorm';

/** PostgreSQL silently truncates identifiers longer than this, which could make two names collide. */
const MAX_IDENTIFIER_LENGTH = 63;

export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/[\s.-]+/g, '_')
    .toLowerCase();
}

function shortHash(input: string): string {
  return createHash('sha1').update(input).digest('hex').slice(0, 8);
}

/** Keeps a generated name readable while guaranteeing it fits PostgreSQL's limit and stays unique. */
function fitIdentifier(name: string): string {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  const suffix = `_${shortHash(name)}`;
  return name.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length) + suffix;
}

/**
 * snake_case for tables, columns, join columns/tables and constraint/index names
 * (`ticket_comment.created_at`, `idx_ticket_tenant_id_status`), so hand-written
 * SQL and migrations read naturally and never need quoted camelCase identifiers.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? snakeCase(targetName);
  }

  override columnName(
    propertyName: string,
    customName: string | undefined,
    embeddedPrefixes: string[],
  ): string {
    const prefix = embeddedPrefixes.map((part) => `${snakeCase(part)}_`).join('');
    return prefix + (customName ?? snakeCase(propertyName));
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override joinTableName(
    firstTableName: string,
    secondTableName: string,
    firstPropertyName: string,
  ): string {
    return snakeCase(
      `${firstTableName}_${firstPropertyName.replace(/\./g, '_')}_${secondTableName}`,
    );
  }

  override joinTableColumnName(
    tableName: string,
    propertyName: string,
    columnName?: string,
  ): string {
    return snakeCase(`${tableName}_${columnName ?? propertyName}`);
  }

  override primaryKeyName(tableOrName: Table | string, _columnNames: string[]): string {
    return fitIdentifier(`pk_${this.plainTableName(tableOrName)}`);
  }

  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return this.columnsName('uq', tableOrName, columnNames);
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return this.columnsName('fk', tableOrName, columnNames);
  }

  override indexName(
    tableOrName: Table | View | string,
    columnNames: string[],
    where?: string,
  ): string {
    // Partial indexes on the same columns differ only by their predicate.
    return this.columnsName('idx', tableOrName, columnNames, where);
  }

  override relationConstraintName(
    tableOrName: Table | string,
    columnNames: string[],
    where?: string,
  ): string {
    return this.columnsName('rel', tableOrName, columnNames, where);
  }

  override defaultConstraintName(tableOrName: Table | string, columnName: string): string {
    return fitIdentifier(`df_${this.plainTableName(tableOrName)}_${columnName}`);
  }

  override checkConstraintName(
    tableOrName: Table | string,
    expression: string,
    isEnum?: boolean,
  ): string {
    const name = `chk_${this.plainTableName(tableOrName)}_${shortHash(expression)}`;
    return fitIdentifier(isEnum ? `${name}_enum` : name);
  }

  override exclusionConstraintName(tableOrName: Table | string, expression: string): string {
    return fitIdentifier(`xcl_${this.plainTableName(tableOrName)}_${shortHash(expression)}`);
  }

  private columnsName(
    kind: string,
    tableOrName: Table | View | string,
    columnNames: string[],
    where?: string,
  ): string {
    // Sorted so that ['a', 'b'] and ['b', 'a'] name the same constraint, as TypeORM's default does.
    const columns = [...columnNames].sort().join('_');
    const predicate = where ? `_${shortHash(where)}` : '';
    return fitIdentifier(`${kind}_${this.plainTableName(tableOrName)}_${columns}${predicate}`);
  }

  private plainTableName(tableOrName: Table | View | string): string {
    const name = typeof tableOrName === 'string' ? tableOrName : tableOrName.name;
    return snakeCase(name.split('.').pop() ?? name);
  }
}
