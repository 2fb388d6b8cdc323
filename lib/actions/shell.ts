/** Shell-quotes a value unless it is plainly safe (ARNs, names), so a copied command runs as shown. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** A Terraform string literal. */
export function hclString(value: string): string {
  return JSON.stringify(value).replaceAll('${', '$${');
}
