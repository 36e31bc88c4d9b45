# core package of the city sensor firmware
