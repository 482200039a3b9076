/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profiles.h — the profile table embedded by the build (EmbedProfiles.cmake). */
#ifndef KIOSKI_PROFILES_H
#define KIOSKI_PROFILES_H

struct kioski_embedded_profile {
	const char *family; /**< "printer", "idcard", "scanner" */
	const char *name;   /**< file name without .json */
	const char *json;
};

/** Terminated by an entry whose family is NULL. */
extern const struct kioski_embedded_profile kioski_embedded_profiles[];

#endif
