/** Model catalog aggregation: providers' own model lists, merged with configured models and cached. */
package ai.higress.catalog;
